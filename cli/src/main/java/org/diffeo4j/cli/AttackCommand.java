package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackMethod;
import org.diffeo4j.attack.AttackRun;
import org.diffeo4j.attack.AttackSpec;
import org.diffeo4j.attack.Target;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.data.Npy;
import org.diffeo4j.data.Probes;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.report.AttackLog;
import org.diffeo4j.report.AttackReport;
import org.diffeo4j.report.AttackSheet;
import org.diffeo4j.report.StabilityReport;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.Statistics;
import org.diffeo4j.train.ModelDir;
import org.diffeo4j.validate.Checks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code diffeo attack}: worst-case diffeomorphisms of the ensemble's norm (issue 22). Parses and checks
 * every input, then delegates to {@link AttackRun} and {@link AttackReport}; the same data, model and
 * folder rules as {@code measure}.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Worst-case diffeomorphisms of a given norm: per probe, the deformation of the ensemble at (c, T) with the energy of a "
                + "typical draw that moves the net's output most (or lowers the true class's margin most), and the worst noise of the same norm.",
                "Without --model: the bundled LeNet (ONNX, trained with PyTorch); without --data: 500 bundled MNIST digits."})
final class AttackCommand implements Callable<Integer> {
    static final String LOG = "attack.jsonl";

    @Mixin
    ProbeInputs inputs;

    @ArgGroup(exclusive = true)
    MeasureCommand.Strength strength = new MeasureCommand.Strength();

    @Option(names = "--target", defaultValue = "distance", paramLabel = "NAME", description = "What the worst case maximises: distance "
            + "(||f(tau x) - f(x)||^2, the per-probe quantity of D_f), or margin (minus the true class's margin; the clean prediction's "
            + "without labels). Default: ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "NAME", description = "gradient (the model's autograd chained through the "
            + "deformation: TorchScript files and folders of diffeo train), derivative-free (central differences over the coefficients, "
            + "any model), or auto (gradient where the model has gradients). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--restarts", defaultValue = "3", paramLabel = "N", description = "Ascents per probe, each from a typical draw (those of "
            + "a measurement's realisations); the best is kept. Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Ascent steps per restart (and for the worst noise). "
            + "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write attack.json, attack.csv, attack-probes.csv, coefficients.json (replayed by "
            + "deform --coefficients), a probe sheet per cell (sheet-c*-d*.png) and with several strengths attack.png; finished cells go to "
            + "attack.jsonl, from which a rerun resumes.")
    Path out;

    @Option(names = "--format", defaultValue = "table", paramLabel = "NAME", description = "table, or json (one JSON object on stdout). Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw Checks.invalid("--format", "table or json", "'" + format + "'");
        }
        Target t = parse("--target", "distance or margin", () -> Target.parse(target));
        if (!List.of("auto", "gradient", "derivative-free").contains(method.trim().toLowerCase(Locale.ROOT))) {
            throw Checks.invalid("--method", "auto, gradient or derivative-free", "'" + method + "'");
        }
        Average avg = Average.parse(inputs.average);
        AttackSpec s = spec(t, AttackMethod.DERIVATIVE_FREE, avg); // checked now; the method is settled once the model is loaded
        Normalisation norm = inputs.normalisation();
        Npy.Layout npyLayout = Npy.Layout.parse(inputs.layout);
        int threadCount = threads.count();
        if (out != null) {
            RunFolder.check(out, "--out", 4_000_000L + 400_000L * s.cuts().size() * s.strengths() * Math.max(1, inputs.probes / 100));
        }
        try (Bundled bundle = inputs.model == null || inputs.data == null ? new Bundled() : null) {
            Path modelPath = inputs.model != null ? inputs.model : bundle.file(Bundled.MODEL);
            LabeledImages all;
            if (inputs.data != null) {
                all = Inputs.tagged("--data", () -> Datasets.load(inputs.data, npyLayout));
            } else {
                bundle.file(Bundled.LABELS);
                LabeledImages b = Datasets.load(bundle.file(Bundled.IMAGES));
                all = new LabeledImages(b.images(), b.labels(), Bundled.DATA_NAME);
            }
            if (norm == null && inputs.model != null && ModelDir.normalisationOf(inputs.model) != null) {
                norm = ModelDir.normalisationOf(inputs.model);
                err.println("note: normalising the probes as the model was trained (" + Arrays.toString(norm.mean()) + " / "
                        + Arrays.toString(norm.std()) + ", from " + inputs.model.resolve("model.json") + "); --mean/--std override");
            }
            return attack(s, norm, modelPath, all, threadCount, stdout, err);
        }
    }

    private int attack(AttackSpec checked, Normalisation norm, Path modelPath, LabeledImages all, int threadCount, PrintWriter stdout, PrintWriter err)
            throws IOException {
        org.diffeo4j.run.Provenance.Builder prov = org.diffeo4j.run.Provenance.start("attack");
        String started = prov.started().toString();
        long t0 = System.nanoTime();
        int fewest = Statistics.minimumProbes(checked.average()), available = all.images().count();
        String why = "the " + checked.average().cliName() + " of the pairwise distances normalising D_f and G_f is 0 with fewer";
        Checks.requireAtLeast("--probes", fewest, inputs.probes, why);
        if (available < fewest) {
            throw new BadInputException((inputs.data == null ? "the bundled digits" : "--data") + " must hold at least " + fewest
                    + " images for --probes (" + why + "), found " + available + " in " + all.source());
        }
        if (inputs.probes > available) {
            throw new BadInputException("--probes must be between " + fewest + " and the " + available + " images available in "
                    + all.source() + ", found " + inputs.probes);
        }
        int side = Math.max(all.images().height(), all.images().width());
        checked.cuts().forEach(c -> Checks.requireResolvableCut(c, side));
        for (int c : checked.cuts()) {
            checked.deltas().forEach(d -> org.diffeo4j.field.Temperatures.temperature(d, c, side));
        }
        int[] index = inputs.randomProbes ? Probes.randomIndices(available, inputs.probes, inputs.seed) : firstIndices(inputs.probes);
        LabeledImages chosen = all.select(index);
        ImageBatch x = norm == null ? chosen.images() : Inputs.normalise(norm, chosen.images());
        requireOwnOutputs(modelPath);
        // the model's runtime on --threads: ONNX Runtime's pool, libtorch's and ND4J's threads
        try (Model m = Inputs.tagged("--model", () -> Models.load(modelPath, org.diffeo4j.model.Options.threads(threadCount)))) {
            m.requireInput(x);
            AttackSpec s = spec(checked.target(), method(m), checked.average());
            String modelHash = StabilityReport.sha256(modelPath);
            String key = RunKeys.sha256("attack v1|model " + modelHash + "|images " + RunKeys.images(x) + "|probes " + inputs.probes
                    + (inputs.randomProbes ? " random" : " first") + "|target " + s.target().cliName() + "|method " + s.method().cliName()
                    + "|restarts " + s.restarts() + "|steps " + s.steps() + "|seed " + s.seed() + "|average " + s.average().cliName());
            try (AttackRun run = new AttackRun(m, threadCount);
                 RunFolder folder = out == null ? null : RunFolder.open(out, "--out", "attack", key, List.of(LOG), true, prov.started())) {
                CountingCells store = new CountingCells(folder == null ? AttackRun.CellStore.NONE : new AttackLog(folder.dir().resolve(LOG), key));
                List<AttackCell> cells;
                Interruption.stoppable(true);
                long units = (long) inputs.probes * (s.restarts() + 1) * s.cuts().size() * s.strengths();
                try (Progress p = new Progress(err, "attack", "probe ascents", units)) {
                    cells = run.run(x, chosen.labels(), index, s, (done, total) -> {
                        p.set(done);
                        Interruption.check();
                    }, store);
                } catch (Interruption.Stopped e) {
                    err.println("interrupted: " + store.saved + " of " + s.cuts().size() * s.strengths() + " cells saved"
                            + (folder == null ? " (none kept: no --out); add --out DIR to make a run resumable"
                            : " in " + folder.dir().resolve(LOG) + "; rerun the same command to resume"));
                    return e.exitCode;
                } finally {
                    Interruption.stoppable(false);
                }
                if (store.reused > 0) {
                    err.println("note: " + store.reused + " finished cell(s) taken from " + out.resolve(LOG) + " (same model, data and parameters)");
                }
                AttackReport.Setup setup = setup(m, modelHash, all, norm, threadCount, run, t0, started);
                org.diffeo4j.run.Provenance p = provenance(prov, m, setup);
                String json = AttackReport.json(cells, p.json());
                List<String> undefined = AttackReport.undefinedCells(cells);
                boolean plot = AttackReport.plottable(cells) && undefined.isEmpty();
                if (folder != null) {
                    folder.write("attack.json", json);
                    folder.write("attack.csv", AttackReport.csv(cells));
                    folder.write("attack-probes.csv", AttackReport.probesCsv(cells));
                    ImageBatch shown = chosen.images();
                    folder.write("coefficients.json", AttackReport.coefficients(cells, setup, new int[]{shown.channels(), shown.height(), shown.width()}));
                    if (plot) {
                        folder.writeFigure("attack.png", AttackReport.chart(cells));
                    }
                    for (AttackCell c : cells) {
                        folder.writeFigure(sheetName(c), AttackSheet.figure(c, shown, s.seed(), AttackSheet.PROBES));
                    }
                    folder.commit(p);
                }
                stdout.print(format.equals("json") ? json : AttackReport.table(cells, setup));
                if (out != null && format.equals("table")) {
                    stdout.println("wrote attack.json, attack.csv, attack-probes.csv, coefficients.json, " + cells.size() + " probe sheet(s)"
                            + (plot ? ", attack.png, attack.svg" : "") + " to " + out);
                }
                stdout.flush();
                if (!undefined.isEmpty()) {
                    throw new IllegalStateException("the worst case is undefined in " + undefined.size() + " cell(s), written as null with the reason: "
                            + undefined.get(0));
                }
                return 0;
            }
        }
    }

    /**
     * A net of diffeo train at initialisation with batch-norm is measured with batch statistics: an image's outputs depend on the
     * other images of its batch, and the attack evaluates batches of mixed probes, restarts and perturbations.
     */
    private static void requireOwnOutputs(Path modelPath) {
        if (Files.isRegularFile(modelPath.resolve(ModelDir.DESCRIPTOR))) {
            boolean batchStatistics;
            try {
                ModelDir d = ModelDir.read(modelPath);
                batchStatistics = d.batchStatistics() && d.arch().batchNorm(); // without batch-norm the flag changes nothing (DjlModel)
            } catch (IllegalArgumentException e) {
                return; // not a folder of diffeo train's own kind: the model's loader says what it is
            }
            if (batchStatistics) {
                throw new BadInputException("--model must give every image outputs of its own (the attack evaluates batches of mixed "
                        + "probes and perturbations), found " + modelPath + ", a net at initialisation normalised with batch statistics "
                        + "(batch_statistics in model.json); attack the trained net's folder");
            }
        }
    }

    /** The sheet's file name: {@code sheet-c3-d1.png}, {@code sheet-c3-d0.5.png}, or {@code sheet-c3-T0.001.png}. */
    static String sheetName(AttackCell c) {
        return "sheet-c" + c.cut() + (Double.isNaN(c.delta()) ? "-T" + number(c.temperature()) : "-d" + number(c.delta())) + ".png";
    }

    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** auto: gradient where the model has gradients; gradient asked of a model without them is bad input. */
    private AttackMethod method(Model m) {
        String name = method.trim().toLowerCase(Locale.ROOT), why = AttackRun.noGradientReason(m);
        if (name.equals("auto")) {
            return why == null ? AttackMethod.GRADIENT : AttackMethod.DERIVATIVE_FREE;
        }
        AttackMethod asked = AttackMethod.parse(name);
        if (asked == AttackMethod.GRADIENT && why != null) {
            throw new BadInputException("--method must be derivative-free or auto for this model (" + why + "), found gradient");
        }
        return asked;
    }

    private AttackSpec spec(Target t, AttackMethod m, Average avg) {
        int[] cuts = Lists.ints("--cut", inputs.cut);
        List<Double> deltas = List.of(), temps = List.of();
        if (strength.temperature != null) {
            temps = Arrays.stream(Lists.doubles("--temperature", strength.temperature)).boxed().toList();
        } else {
            deltas = strength.delta == null ? List.of(1.0) : Arrays.stream(Lists.doubles("--delta", strength.delta)).boxed().toList();
        }
        return new AttackSpec(Arrays.stream(cuts).boxed().toList(), deltas, temps, t, m, restarts, steps, inputs.seed, avg);
    }

    private static <T> T parse(String option, String expected, java.util.function.Supplier<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw Checks.invalid(option, expected, e.getMessage().replaceFirst(".*, found ", ""));
        }
    }

    private static int[] firstIndices(int n) {
        int[] idx = new int[n];
        for (int k = 0; k < n; k++) {
            idx[k] = k;
        }
        return idx;
    }

    /** The run's provenance, the one record of every command: the model and data with the model's hash, threads, seed, and the attack's details. */
    private static org.diffeo4j.run.Provenance provenance(org.diffeo4j.run.Provenance.Builder b, Model m, AttackReport.Setup s) {
        b.version("model_runtime", m.runtime()).backend("java", null).threads(s.threads()).seed(s.seed());
        b.input("model", s.modelFile(), s.modelSha256(), s.model());
        b.input("data", s.dataFile(), null, s.dataShape());
        AttackReport.details(s).forEach(b::detail);
        return b.finish();
    }

    private AttackReport.Setup setup(Model m, String modelHash, LabeledImages all, Normalisation norm, int threadCount, AttackRun run,
                                     long t0, String started) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("diffeo4j", new DiffeoCli.Version().getVersion()[0]);
        versions.put("java", Runtime.version().toString());
        versions.put("model_runtime", m.runtime());
        Map<String, double[]> n = null;
        if (norm != null) { // in this order in the JSON
            n = new LinkedHashMap<>();
            n.put("mean", norm.mean());
            n.put("std", norm.std());
        }
        return new AttackReport.Setup(inputs.model == null ? "bundled:" + Bundled.MODEL : inputs.model.toString(), modelHash, m.description(),
                inputs.data == null ? "bundled:first 500 of mnist t10k-images-idx3-ubyte.gz" : inputs.data.toString(), all.images().shapeString(), inputs.probes,
                inputs.randomProbes ? "random(seed " + inputs.seed + ")" : "first", inputs.seed, n, threadCount, versions, run.counters(),
                (System.nanoTime() - t0) / 1e9, started);
    }

    /** The journal, counting what it saved and gave back. */
    private static final class CountingCells implements AttackRun.CellStore {
        private final AttackRun.CellStore inner;
        int saved, reused;

        CountingCells(AttackRun.CellStore inner) {
            this.inner = inner;
        }

        @Override
        public java.util.Optional<AttackCell> find(int cut, double temperature) {
            java.util.Optional<AttackCell> c = inner.find(cut, temperature);
            if (c.isPresent()) {
                reused++;
                saved++;
            }
            return c;
        }

        @Override
        public void finished(AttackCell cell) {
            inner.finished(cell);
            saved++;
        }
    }
}
