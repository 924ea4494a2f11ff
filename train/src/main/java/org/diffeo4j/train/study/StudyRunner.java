package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackMethod;
import org.diffeo4j.attack.AttackRun;
import org.diffeo4j.attack.AttackSpec;

import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Options;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StabilityReport;
import org.diffeo4j.run.Journal;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.LayerResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.diffeo4j.stability.NoiseKind;
import org.diffeo4j.train.Arch;
import org.diffeo4j.train.NetTrainer;
import org.diffeo4j.train.TrainRun;
import org.diffeo4j.train.TrainSpec;
import org.diffeo4j.train.PaperRecipe;
import org.diffeo4j.torch.TorchRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a study's grid into a folder: each cell trains (or resumes) in {@code runs/DATASET/ARCH-PP-sS/},
 * then measures the net at initialisation and after training exactly as {@code diffeo measure} does
 * (same {@link StabilityMeasurement}, probes the first N test images or N drawn from the cell's seed,
 * measurement seed = the cell's seed), and appends one line per (cut, strength) to cells.jsonl.
 * Cells already there are skipped, so a killed study rerun continues where it stopped.
 *
 * <p>The output folder is a kept run of the run store ({@link RunFolder}): locked while a runner works
 * in it (a second study into it is refused, naming the holder), never replaced by another command, and
 * claimed by the study's identity ({@link StudyRecord}, {@code study-key.json}): another study, or the same
 * study with other settings, is refused naming the first difference, unless {@link #extend} adds the
 * cells of new grid values whose settings equal the folder's. {@link #open} holds the folder until
 * {@link #close}; {@link #run}, {@link #merge} and {@link #summarise} called without it hold it for
 * their own duration.
 */
public final class StudyRunner implements AutoCloseable {
    /** Told what happens: a line per cell, and training progress. */
    public interface Listener extends NetTrainer.Listener {
        void cell(int index, int total, String what);

        /** A listener told nothing (an engine's task, a test). */
        static Listener silent() {
            return new Listener() {
                @Override
                public void cell(int index, int total, String what) {
                }

                @Override
                public void batch(int epoch, long done, long total, double loss, double ips) {
                }
            };
        }
    }

    private final StudyFile study;
    private final Path out;
    private final int threads;
    private final Consumer<String> notes;
    private final Map<Path, LabeledImages> data;
    private final ShardFolder shard;
    private final Map<Path, String> hashes = new HashMap<>();
    private final Instant started = Instant.now();
    private boolean extend;
    private RunFolder folder;
    private boolean createdRecord;
    private StudyRecord record;

    /** The files and folders of a study folder: the run's, listed in its manifest, never removed by another run. */
    static final List<String> FILES = List.of("cells.jsonl", "runs", StudyRecord.FILE, ShardFolder.FILE, "merged.json", "summary.json", "summary.csv",
            "figures");

    /** Runs the whole grid. */
    public StudyRunner(StudyFile study, Path out, int threads, Consumer<String> notes) {
        this(study, out, threads, notes, null);
    }

    /** Runs the units of {@code shard} only (null: the whole grid); the folder records which shard it holds. */
    public StudyRunner(StudyFile study, Path out, int threads, Consumer<String> notes, ShardFolder shard) {
        this(study, out, threads, notes, shard, new HashMap<>());
    }

    /**
     * As above, reading data sets through {@code data} (a cache by path that outlives this runner: an
     * engine's executor keeps the sets it has read for its next units; never modified by a unit).
     */
    public StudyRunner(StudyFile study, Path out, int threads, Consumer<String> notes, ShardFolder shard, Map<Path, LabeledImages> data) {
        this.data = data;
        this.study = study;
        this.out = out;
        this.threads = threads;
        this.notes = notes;
        this.shard = shard;
    }

    /**
     * With {@code true}, the output folder may hold this study with another grid (other seeds, train sizes,
     * architectures, datasets, augmentations, cuts or strengths) as long as every setting the two share is
     * equal: the cells of new grid values are added, the folder's record becomes the union.
     */
    public StudyRunner extend(boolean extend) {
        this.extend = extend;
        return this;
    }

    /** The units this runner computes, in canonical order: the whole grid or its shard's part. */
    public List<StudyFile.Unit> mine() {
        return shard == null ? study.units() : shard.shard().select(study.units());
    }

    /** The cells.jsonl of the output folder. */
    public Path cellsFile() {
        return out.resolve("cells.jsonl");
    }

    /** Runs every cell not yet in cells.jsonl; returns how many were computed now. */
    public int run(Listener listener) throws IOException {
        boolean held = folder != null;
        open();
        try {
            List<StudyFile.Unit> units = mine();
            Journal cells = Cell.journal(cellsFile());
            int computed = 0, index = 0;
            try (DiffeoBackend backend = Backends.open(study.measure().backend(), threads, notes)) {
                for (StudyFile.Unit u : units) {
                    index++;
                    if (done(cells, u)) {
                        continue;
                    }
                    listener.cell(index, units.size(), describe(u));
                    // a unit cut short after some of its lines were written is recomputed: only its missing lines are added
                    Cell.appendMissing(cells, compute(u, backend, listener));
                    computed++;
                }
            }
            return computed;
        } finally {
            if (!held) {
                close();
            }
        }
    }

    /**
     * Reads and checks every input and the output folder, then locks and claims the folder: what
     * {@link #run} does before its first cell, and what an engine that computes the cells elsewhere does on
     * its driver. Bad input leaves no folder behind. The folder stays locked until {@link #close}.
     */
    public StudyRunner open() throws IOException {
        if (folder != null) {
            return this;
        }
        validate();
        StudyRecord mine = record();
        checkFolder(mine); // before the lock: bad input writes nothing
        folder = RunFolder.open(out, "out", "study", "study", List.of(), false, started);
        try {
            checkFolder(mine); // again under the lock: another run may have claimed the folder in between
            claim(mine);
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
        return this;
    }

    /** {@link #open}, for engines written before it. */
    public void prepare() throws IOException {
        open();
    }

    /** Checks that this study may go into the output folder ({@code --plot-only}); writes nothing. */
    public void check() throws IOException {
        validate();
        checkFolder(record());
    }

    /** Releases the output folder. */
    @Override
    public void close() {
        if (folder != null) {
            folder.close();
            folder = null;
        }
    }

    /**
     * Undoes {@link #open}'s claim (an engine that could not start computed nothing, so it leaves nothing,
     * as bad input does): the record if this claim wrote the first one, the manifest as it was, no lock
     * file or folder that were not there.
     */
    public void abandon() {
        if (folder == null) {
            return;
        }
        try {
            if (createdRecord) {
                java.nio.file.Files.deleteIfExists(out.resolve(StudyRecord.FILE));
            }
        } catch (IOException e) {
            // a record left behind names this study, which computed nothing: the next run of it resumes
        }
        folder.abandon();
        folder = null;
    }

    /** The inputs: every dataset readable, train sizes within the training sets, a shard count within the units. */
    private void validate() {
        for (StudyFile.Dataset ds : study.datasets()) {
            load(ds.test());
            if (!study.measuresModels()) {
                int have = load(ds.train()).images().count(), want = java.util.Collections.max(study.trainSizes(ds));
                if (want > have) {
                    throw new BadInputException("train_sizes of " + ds.name() + " must be <= " + have + " (the images in " + ds.train()
                            + "), found " + want);
                }
            }
        }
        // Each model to measure is loaded once and checked against its dataset's images: a file no runtime can read is bad
        // input naming its entry (exit 2, nothing written), not a failed run after the folder was claimed. The adapters throw
        // IllegalArgumentException for unreadable files; here every one of them is the study file's input.
        if (study.measuresModels()) {
            for (StudyFile.Dataset ds : study.datasets()) {
                LabeledImages test = load(ds.test());
                for (StudyFile.ModelEntry entry : study.models()) {
                    try (Model m = Models.load(entry.path(), runtime())) {
                        m.requireInput(test.images());
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException("models entry " + entry.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        // Each TorchScript architecture is loaded once on each dataset's images, as its training will load it: a file that
        // is not a module, or whose output is not [B, K], is bad input here, before the folder is touched, not an error
        // line after runs/ and the study's record were written (found by hand: "study" on a text file named .pt).
        for (StudyFile.Dataset ds : study.datasets()) {
            if (study.modules().isEmpty()) {
                break;
            }
            LabeledImages test = load(ds.test()), train = load(ds.train());
            int[] chw = {test.images().channels(), test.images().height(), test.images().width()};
            int classes = Math.max(maxLabel(train.labels()), maxLabel(test.labels())) + 1;
            for (StudyFile.ModuleArch m : study.modules()) {
                for (Path f : new java.util.LinkedHashSet<>(m.paths())) {
                    org.diffeo4j.train.TorchModule.load(f, chw, classes, "architectures entry " + m.name(), Options.threads(threads)).close();
                }
            }
        }
        // N above the unit count is refused whatever I (1/100 as 50/100): such a split has shards with no unit, a miscount (issue 21).
        if (shard != null && shard.shard().count() > study.units().size()) {
            throw new BadInputException("shard must be I/N with N <= " + study.units().size() + " (the study's training runs times seeds), found "
                    + shard.shard());
        }
    }

    /** This runner's units whose cells are not all in cells.jsonl yet, in canonical order. */
    public List<StudyFile.Unit> pending() {
        Journal cells = Cell.journal(cellsFile());
        return mine().stream().filter(u -> !done(cells, u)).toList();
    }

    /** One line saying what a unit is, for progress. */
    public static String describe(StudyFile.Unit u) {
        return u.dataset().name() + " " + u.name() + (u.model() != null ? "" : " P=" + u.trainSize()) + " seed " + u.seed()
                + (u.model() != null ? ": measuring" : "") + (u.augmentation().isNone() ? "" : " augment " + u.augment());
    }

    /**
     * Computes one unit: trains it (or resumes its training) in {@code runs/DATASET/ARCH-PP-sS/} under
     * the output folder and measures it, or measures the model; returns its cells, one per (cut,
     * strength), without appending them. The cells name the model by its path relative to the output
     * folder, so a unit computed in another folder (an engine's task) gives identical cells.
     */
    public List<Cell> compute(StudyFile.Unit u, DiffeoBackend backend, Listener listener) throws IOException {
        return u.model() != null ? measureModel(backend, u.dataset(), u.model(), u.seed())
                : trainAndMeasure(backend, u, listener);
    }

    /**
     * The run folder of a trained unit, relative to the output folder: {@code ARCH-PP-sS}, then
     * {@code -AUGMENT} (its label, characters unsafe in a file name as _) when augmented.
     */
    public static Path runFolder(StudyFile.Unit u) {
        String base = u.name() + "-P" + u.trainSize() + "-s" + u.seed();
        return Path.of("runs", u.dataset().name(), u.augmentation().isNone() ? base : base + "-" + u.augment().replaceAll("[^A-Za-z0-9._=+-]", "_"));
    }

    /** Training runs (or models) times seeds of this runner (its shard's, if any): the units of progress. */
    public int units() {
        return mine().size();
    }

    private boolean done(Journal cells, StudyFile.Unit u) {
        return study.keys(u).stream().allMatch(cells::has);
    }

    private List<Cell> trainAndMeasure(DiffeoBackend backend, StudyFile.Unit u, Listener listener) throws IOException {
        StudyFile.Dataset ds = u.dataset();
        int p = u.trainSize();
        long seed = u.seed();
        LabeledImages train = load(ds.train()), test = load(ds.test());
        TrainSpec spec = spec(u, train);
        Path dir = out.resolve(runFolder(u));
        TrainRun.Result r = TrainRun.run(spec, train, test, new TrainRun.Sources(ds.train().toString(), ds.test().toString(),
                study.training().options().recipe(), sha256(ds.train()), sha256(ds.test())), dir, listener, study.training().measureEvery(), runtime());
        ImageBatch probes = probes(test, seed);
        if (spec.recipe().normalise() != null) {
            // the net saw normalised images: its probes are normalised before they are deformed, as the authors measure
            probes = spec.recipe().normalise().apply(probes);
        }
        Measured init, trained;
        List<String> layers;
        try (Model m = Models.load(r.init(), runtime())) {
            layers = study.measure().layers() ? m.layerNames() : List.of();
            init = measure(m, backend, probes, seed, layers);
        }
        List<AttackCell> worst;
        try (Model m = Models.load(r.model(), runtime())) {
            trained = measure(m, backend, probes, seed, layers);
            worst = attack(m, probes, test, seed);
        }
        String model = out.relativize(r.model()).toString();
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < trained.size(); i++) {
            TrainRun.Fit f = r.fit();
            List<Cell.During> during = r.epochs().stream().filter(l -> l.dgr() != null)
                    .map(l -> new Cell.During(l.epoch(), l.dgr()[0], l.dgr()[1], l.dgr()[2])).toList();
            cells.add(cell(ds.name(), u.name(), p, seed, r.testError(), init.at(i), init.spectralAt(i), trained.at(i), trained.spectralAt(i),
                    worst == null ? null : worst.get(i), layers, r.parameters(), r.depth(), model, u.augment()).withFit(new Cell.Fit(f.trainLoss(), f.trainError(), f.epochsRun(), f.selected().id(), f.selectedEpoch(),
                    f.converged(), f.converged() ? null : f.why(), during)));
        }
        return cells;
    }

    /** What every runtime of this runner runs with: its thread count (libtorch's, ONNX Runtime's, ND4J's). */
    private Options runtime() {
        return Options.threads(threads);
    }

    /** The training of a unit: the study's options resolved for its architecture and dataset (whose kind its name or path and shape tell). */
    TrainSpec spec(StudyFile.Unit u, LabeledImages train) {
        ImageBatch x = train.images();
        PaperRecipe.Data kind = PaperRecipe.Data.detect(u.dataset().name() + " " + u.dataset().train(), x.channels(), x.height(), x.width());
        TrainSpec.ModuleFile module = u.module() == null ? null : TrainSpec.ModuleFile.of(u.moduleFile());
        return study.training().of(u.name()).resolve(u.arch(), module, u.trainSize(), u.seed(), kind, u.augmentation(), "training.");
    }

    private List<Cell> measureModel(DiffeoBackend backend, StudyFile.Dataset ds, StudyFile.ModelEntry entry, long seed) {
        LabeledImages test = load(ds.test());
        if (test.labels() == null) {
            throw new BadInputException("datasets[].test must have labels for the test error, found none for " + ds.test());
        }
        try (Model m = Models.load(entry.path(), runtime())) {
            m.requireInput(test.images());
            List<String> layers = study.measure().layers() ? m.layerNames() : List.of();
            ImageBatch probes = probes(test, seed);
            Measured trained = measure(m, backend, probes, seed, layers);
            List<AttackCell> worst = attack(m, probes, test, seed);
            double err = testError(m, test);
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < trained.size(); i++) {
                // what the runtime knows (ONNX initializers, TorchScript parameters, DL4J's tables); -1: unknown, left out of the cell
                cells.add(cell(ds.name(), entry.name(), 0, seed, err, null, null, trained.at(i), trained.spectralAt(i),
                        worst == null ? null : worst.get(i), layers, m.parameterCount().orElse(-1), m.depth().orElse(-1),
                        entry.location(), Cell.NONE));
            }
            return cells;
        }
    }

    /** The fraction of {@code test} whose arg-max output is not the label. */
    static double testError(Model m, LabeledImages test) {
        Activations a = m.forward(test.images());
        int wrong = 0;
        for (int s = 0; s < a.count(); s++) {
            int best = 0;
            for (int k = 1; k < a.units(); k++) {
                if (a.get(s, k) > a.get(s, best)) {
                    best = k;
                }
            }
            wrong += best == test.labels()[s] ? 0 : 1;
        }
        return (double) wrong / a.count();
    }

    private static Cell cell(String dataset, String arch, int p, long seed, double testError, CellResult init, CellResult initSpec,
                             CellResult trained, CellResult trainedSpec, AttackCell worst, List<String> layers, long parameters, int depth,
                             String model, String augment) {
        Map<String, Cell.Layer> ls = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String l = layers.get(i);
            ls.put(l, new Cell.Layer((i + 1.0) / (layers.size() + 1),
                    init == null ? null : dgr(init.layers().get(l), initSpec == null ? null : initSpec.layers().get(l)),
                    dgr(trained.layers().get(l), trainedSpec == null ? null : trainedSpec.layers().get(l))));
        }
        if (worst != null && (worst.cut() != trained.cut() || Math.abs(worst.temperature() - trained.temperature()) > 1e-12 * trained.temperature())) {
            throw new IllegalStateException("the attack's cell (c = " + worst.cut() + ", T = " + worst.temperature() + ") must be the measurement's, found c = "
                    + trained.cut() + ", T = " + trained.temperature());
        }
        return new Cell(dataset, arch, p, seed, trained.cut(), trained.delta(), trained.temperature(), testError,
                init == null ? null : dgr(init.output(), initSpec == null ? null : initSpec.output()),
                worst == null ? dgr(trained.output(), trainedSpec == null ? null : trainedSpec.output())
                        : dgr(trained.output(), trainedSpec == null ? null : trainedSpec.output()).withWorst(worst.dWorst(), worst.rWorst()),
                ls, parameters, depth, model, augment);
    }

    /**
     * With {@code measure.attack}: the trained model's worst cases per cell, as {@code diffeo attack} computes them on the same
     * probes (their labels for the margin and the flips), seed and cells (gradient method where the model gives gradients);
     * null without. {@code probes} are the cell's probes as the model reads them (normalised where it was trained so).
     */
    private List<AttackCell> attack(Model m, ImageBatch probes, LabeledImages test, long seed) {
        StudyFile.Measure ms = study.measure();
        StudyFile.Attack a = ms.attack();
        if (a == null) {
            return null;
        }
        int n = ms.probes();
        int[] index = ms.randomProbes() ? Probes.randomIndices(test.images().count(), n, seed) : java.util.stream.IntStream.range(0, n).toArray();
        int[] labels = test.select(index).labels();
        AttackMethod method = AttackRun.noGradientReason(m) == null ? AttackMethod.GRADIENT : AttackMethod.DERIVATIVE_FREE;
        AttackSpec spec = new AttackSpec(ms.cuts(), ms.deltas(), ms.temperatures(), a.target(), method, a.restarts(), a.steps(), seed, ms.average());
        try (AttackRun run = new AttackRun(m, Math.max(1, TorchRuntime.threads()))) {
            return run.run(probes, labels, index, spec, (d, t) -> { }, AttackRun.CellStore.NONE);
        }
    }

    private static Cell.DGR dgr(LayerResult l) {
        return new Cell.DGR(l.d().logmean(), l.g().logmean(), l.r().logmean());
    }

    /** {@code l} (Gaussian noise) with G_f^spec and R_f^spec of {@code spec} (spectral noise, same probes and draws); l alone when null. */
    private static Cell.DGR dgr(LayerResult l, LayerResult spec) {
        return spec == null ? dgr(l) : new Cell.DGR(l.d().logmean(), l.g().logmean(), l.r().logmean(), spec.g().logmean(), spec.r().logmean());
    }

    /**
     * The cells' results of {@code m}: with {@code measure.spectral}, a second measurement with spectral noise
     * (issue 22's control) on the same probes and seed — the same deformations, so the same D_f — whose G_f and
     * R_f go beside the Gaussian ones as G_f^spec and R_f^spec.
     */
    private Measured measure(Model m, DiffeoBackend backend, ImageBatch probes, long seed, List<String> layers) {
        List<CellResult> gaussian = new StabilityMeasurement(m, backend).run(probes, spec(seed, layers, NoiseKind.GAUSSIAN), (d, n) -> { });
        return new Measured(gaussian, study.measure().spectral()
                ? new StabilityMeasurement(m, backend).run(probes, spec(seed, layers, NoiseKind.SPECTRAL), (d, n) -> { }) : null);
    }

    /** One model's results per cell: against Gaussian noise, and against spectral noise (null unless asked). */
    private record Measured(List<CellResult> gaussian, List<CellResult> spectral) {
        CellResult at(int i) {
            return gaussian.get(i);
        }

        CellResult spectralAt(int i) {
            return spectral == null ? null : spectral.get(i);
        }

        int size() {
            return gaussian.size();
        }
    }

    private StabilitySpec spec(long seed, List<String> layers, NoiseKind noise) {
        StudyFile.Measure m = study.measure();
        return new StabilitySpec(m.cuts(), m.deltas(), m.temperatures(), m.interp(), m.average(), m.realisations(), seed, layers, noise);
    }

    /** The probes exactly as {@code diffeo measure --probes N [--random-probes] --seed S} picks them. */
    private ImageBatch probes(LabeledImages test, long seed) {
        int n = study.measure().probes();
        if (n > test.images().count()) {
            throw new BadInputException("measure.probes must be <= " + test.images().count() + " (the test images of " + test.source()
                    + "), found " + n);
        }
        return (study.measure().randomProbes() ? Probes.random(test, n, seed) : Probes.first(test, n)).images();
    }

    private static int maxLabel(int[] labels) {
        int m = 0;
        for (int y : labels == null ? new int[0] : labels) {
            m = Math.max(m, y);
        }
        return m;
    }

    private LabeledImages load(Path p) {
        return data.computeIfAbsent(p, Datasets::load);
    }

    /**
     * Merges finished shard folders of this study (read from a file with SHA-256 {@code sha256}) into
     * the output folder, after checking them all ({@link StudyMerge}, and each shard's record against this
     * study's); returns the cells merged.
     */
    public int merge(List<Path> shards, String sha256) throws IOException {
        List<Cell> cells = StudyMerge.collect(study, sha256, shards);
        StudyRecord mine = record();
        for (Path dir : shards) {
            StudyRecord theirs = StudyRecord.read(dir);
            String why = theirs == null ? null : mine.refusal(theirs, dir, false);
            if (why != null) {
                throw new BadInputException("merge must name shards computed with this study's settings, found " + why.substring(4));
            }
        }
        if (java.nio.file.Files.isRegularFile(cellsFile())) {
            // A union with another study's cells would summarise incomparable runs together.
            java.util.Set<String> keys = new java.util.HashSet<>();
            study.units().forEach(u -> keys.addAll(study.keys(u)));
            for (Cell c : Cell.cells(Cell.journal(cellsFile()))) {
                if (!keys.contains(c.key())) {
                    throw new BadInputException("out must be empty or hold cells of the same study, found cell " + c.key() + " in " + out);
                }
            }
        }
        boolean held = folder != null;
        open();
        try {
            StudyMerge.write(out, cells, sha256, study.source(), shards);
        } finally {
            if (!held) {
                close();
            }
        }
        return cells.size();
    }

    /**
     * Writes summary.json, summary.csv and figures/ from the cells in cells.jsonl (whatever their
     * order), and marks the folder's run complete; returns the summary.
     */
    public StudySummary summarise() throws IOException {
        List<Cell> all = Cell.cells(Cell.journal(cellsFile()));
        if (all.isEmpty()) {
            throw new BadInputException("cells.jsonl must hold finished cells to summarise, found none in " + out);
        }
        boolean held = folder != null;
        if (!held) { // a summary alone (--plot-only, an engine's last step): the lock, without a claim
            folder = RunFolder.open(out, "out", "study", "study", List.of(), false, started);
        }
        try {
            StudySummary s = StudySummary.of(all, testImages());
            Files2.writeString(out.resolve("summary.json"), s.json(study.name(), all.size()));
            Files2.writeString(out.resolve("summary.csv"), s.csv());
            StudyFigures.write(s, all, out.resolve("figures"));
            TrainingCurves.write(all, out.resolve("figures"));
            for (String f : FILES) {
                if (java.nio.file.Files.exists(out.resolve(f))) {
                    folder.record(f);
                }
            }
            folder.commit(provenance(all.size()));
            return s;
        } finally {
            if (!held) {
                close();
            }
        }
    }

    /** What the folder's manifest says of the run: the data with their hashes, threads, seeds, engine. */
    private Provenance provenance(int cells) {
        Provenance.Builder b = Provenance.start("study", started).threads(threads);
        if (org.diffeo4j.torch.TorchRuntime.started()) {
            b.engine(org.diffeo4j.torch.TorchRuntime.describe());
        }
        study.seeds().forEach(b::seed);
        for (StudyFile.Dataset d : study.datasets()) {
            if (d.train() != null && !study.measuresModels()) {
                b.input(d.name() + ".train", d.train().toString(), sha256(d.train()), null);
            }
            b.input(d.name() + ".test", d.test().toString(), sha256(d.test()), null);
        }
        for (StudyFile.ModelEntry m : study.models()) {
            b.input("model " + m.name(), m.location(), sha256(m.path()), null);
        }
        return b.detail("study", study.source()).detail("name", study.name()).detail("shard", shard == null ? null : shard.shard().toString())
                .detail("units", units()).detail("cells", cells).finish();
    }

    /** The SHA-256 of a data or model file or folder, read once. */
    private String sha256(Path p) {
        return hashes.computeIfAbsent(p, StabilityReport::sha256);
    }

    /** This study's identity, computed once (the data's hashes and the recipe resolved per dataset and architecture). */
    private StudyRecord record() {
        if (record == null) {
            record = StudyRecord.of(study, this::sha256, this::resolvedTraining);
        }
        return record;
    }

    /** The training of architecture {@code name} on {@code ds}, resolved as its units resolve it (whatever the train size and seed). */
    private TrainSpec resolvedTraining(StudyFile.Dataset ds, String name) {
        ImageBatch x = load(ds.train()).images();
        PaperRecipe.Data kind = PaperRecipe.Data.detect(ds.name() + " " + ds.train(), x.channels(), x.height(), x.width());
        Arch a = study.architectures().stream().filter(k -> k.id().equals(name)).findFirst().orElse(null);
        TrainSpec.ModuleFile module = a != null ? null : study.modules().stream().filter(m -> m.name().equals(name))
                .map(m -> TrainSpec.ModuleFile.of(m.file(0))).findFirst().orElseThrow();
        return study.training().of(name).resolve(a, module, 1, 0, kind, org.diffeo4j.augment.Augmentation.NONE, "training.");
    }

    /**
     * Whether this study may go into the output folder, without writing: the shard record fits, and the
     * folder's study record (or, in folders of studies before it, study-key.txt) names the same study, or
     * with {@link #extend} one whose shared settings are equal.
     */
    private void checkFolder(StudyRecord mine) {
        ShardFolder.check(out, shard, java.nio.file.Files.isRegularFile(cellsFile()));
        StudyRecord had = StudyRecord.read(out);
        if (had != null) {
            String why = mine.refusal(had, out, extend);
            if (why != null) {
                throw new BadInputException(why);
            }
            return;
        }
        Path legacy = out.resolve(StudyRecord.LEGACY_FILE);
        if (java.nio.file.Files.isRegularFile(legacy)) {
            try {
                String old = java.nio.file.Files.readString(legacy);
                if (!old.equals(legacyKey())) {
                    throw new BadInputException("out must be empty or hold a study with the same training and measure settings, found "
                            + old.strip().replace('\n', ' ') + " in " + legacy);
                }
                // study-key.txt never recorded measure.spectral: its cells say whether they were measured with it
                boolean spectral = study.measure().spectral();
                Cell other = java.nio.file.Files.isRegularFile(cellsFile()) ? Cell.cells(Cell.journal(cellsFile())).stream()
                        .filter(c -> c.trained().hasSpectral() != spectral).findFirst().orElse(null) : null;
                if (other != null) {
                    throw new BadInputException("out " + out + " holds cells with measure.spectral = " + !spectral + " (cell " + other.key()
                            + "); this study has measure.spectral = " + spectral + " (choose another --out for other settings)");
                }
            } catch (IOException e) {
                throw new BadInputException("out must hold a readable " + StudyRecord.LEGACY_FILE + ", found " + legacy + " (" + e.getMessage() + ")");
            }
        }
    }

    /** The key of studies before {@link StudyRecord}: training and measure settings without the grid. */
    String legacyKey() {
        StudyFile.Measure m = study.measure();
        return (study.measuresModels() ? "models" : study.training().toString()) + "\n" + new StudyFile.Measure(m.probes(), m.randomProbes(),
                List.of(), List.of(), List.of(), m.interp(), m.average(), m.realisations(), m.layers(), "any").toString()
                // written before measure.attack existed: the same text
                .replace(", attack=null]", "]") + "\n";
    }

    /** Records this study in the locked folder: its record (with {@link #extend}, joined to the folder's) and its shard. */
    private void claim(StudyRecord mine) throws IOException {
        StudyRecord had = StudyRecord.read(out);
        StudyRecord now = had == null ? mine : extend ? had.union(mine) : had;
        if (!now.equals(had)) {
            createdRecord = had == null;
            if (had != null) {
                notes.accept("extending study \"" + had.name() + "\" in " + out + ": the cells of its new grid values are added");
            }
            now.write(out);
        }
        if (shard != null) {
            shard.write(out);
        }
    }

    /** Images in each dataset's test set, keyed by dataset name (for the summary's error floor). */
    public Map<String, Integer> testImages() {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (StudyFile.Dataset d : study.datasets()) {
            n.put(d.name(), load(d.test()).images().count());
        }
        return n;
    }
}
