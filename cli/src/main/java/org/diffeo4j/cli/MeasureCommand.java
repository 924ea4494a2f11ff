package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.data.Npy;
import org.diffeo4j.data.Probes;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.report.StabilityReport;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.NoiseKind;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.diffeo4j.stability.Statistics;
import org.diffeo4j.validate.Checks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code diffeo measure}: the relative stability R_f = D_f / G_f of a model on probe images
 * (DESIGN.md section 1). Parses and checks every input, then delegates to
 * {@link StabilityMeasurement} and {@link StabilityReport}. Without --model it measures the bundled
 * LeNet, without --data on the 500 bundled MNIST digits.
 */
@Command(name = "measure", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Relative stability R_f = D_f / G_f of a network to diffeomorphisms vs. noise of the same norm.",
                "Without --model: the bundled LeNet (ONNX, trained with PyTorch); without --data: 500 bundled MNIST digits."})
final class MeasureCommand implements Callable<Integer> {
    static final String LOG = "stability.jsonl";

    @Mixin
    ProbeInputs inputs;

    @ArgGroup(exclusive = true)
    Strength strength = new Strength();

    static final class Strength {
        @Option(names = "--delta", paramLabel = "LIST", description = "Typical displacements in pixels (Eq. 3; needs c >= 2), or MIN:MAX:COUNT log-spaced. Default: 1.")
        String delta;
        @Option(names = "--temperature", paramLabel = "LIST", description = "Temperatures T > 0 instead of --delta, or MIN:MAX:COUNT log-spaced.")
        String temperature;
    }

    @Option(names = "--interp", defaultValue = "bilinear", paramLabel = "NAME", description = "bilinear, gaussian or nearest. Default: ${DEFAULT-VALUE}.")
    String interp;

    @Option(names = "--noise", defaultValue = "gaussian", paramLabel = "NAME", description = "Noise of G_f: gaussian (the paper's), or spectral "
            + "(per image, the power spectrum of tau x - x with random phases, same norm; G_f and R_f are then G_f^spec and R_f^spec). Default: ${DEFAULT-VALUE}.")
    String noise;

    @Option(names = "--per-probe", description = "With --out: also write per-probe.csv, per-probe.json and per-probe.png/.svg: each probe's D, G, margin, "
            + "prediction and correctness (every cell is measured again: per-probe values are not in the log).")
    boolean perProbe;

    @Option(names = "--realisations", defaultValue = "1", paramLabel = "N", description = "Independent realisations, log-averaged. Default: ${DEFAULT-VALUE}.")
    int realisations;

    @Option(names = "--layer", split = ",", paramLabel = "NAME", description = "Hidden layers measured too, e.g. features.4,fc1 (ONNX: any node output or its PyTorch module name; TorchScript: module names; DL4J: layer names; see diffeo layers).")
    List<String> layers = List.of();

    @Option(names = "--out", paramLabel = "DIR", description = "Also write stability.json, stability.csv, stability.png and .svg (several strengths) here; "
            + "finished cells go to stability.jsonl, from which a rerun resumes.")
    Path out;

    @Option(names = "--format", defaultValue = "table", paramLabel = "NAME", description = "table, or json (one JSON object on stdout). Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    BackendOptions backendOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Provenance.Builder prov = Provenance.start("measure");
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw Checks.invalid("--format", "table or json", "'" + format + "'");
        }
        StabilitySpec s = spec();
        if (perProbe && out == null) {
            throw new BadInputException("--per-probe needs --out DIR to write per-probe.csv into, found no --out");
        }
        Normalisation norm = inputs.normalisation();
        Npy.Layout npyLayout = Npy.Layout.parse(inputs.layout);
        backendOptions.threadCount();
        if (out != null) {
            RunFolder.check(out, "--out", 2_000_000L + 50_000L * s.cuts().size() * s.strengths());
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
            if (norm == null && inputs.model != null && org.diffeo4j.train.ModelDir.normalisationOf(inputs.model) != null) {
                // a net of `diffeo train` trained on normalised inputs: its probes are normalised the same way before
                // they are deformed, as the authors measure on their normalised test loader
                norm = org.diffeo4j.train.ModelDir.normalisationOf(inputs.model);
                err.println("note: normalising the probes as the model was trained (" + java.util.Arrays.toString(norm.mean()) + " / "
                        + java.util.Arrays.toString(norm.std()) + ", from " + inputs.model.resolve("model.json") + "); --mean/--std override");
            }
            return measure(s, norm, modelPath, all, stdout, err, prov);
        }
    }

    private int measure(StabilitySpec s, Normalisation norm, Path modelPath, LabeledImages all, PrintWriter stdout, PrintWriter err,
                        Provenance.Builder prov) throws IOException {
        long t0 = System.nanoTime();
        int fewest = Statistics.minimumProbes(s.average()), available = all.images().count();
        String why = "the " + s.average().cliName() + " of the pairwise distances normalising D_f and G_f is 0 with fewer";
        Checks.requireAtLeast("--probes", fewest, inputs.probes, why);
        // The bounds of --probes are the statistic's minimum and the images there are; below the minimum no --probes can do.
        if (available < fewest) {
            throw new BadInputException((inputs.data == null ? "the bundled digits" : "--data") + " must hold at least " + fewest
                    + " images for --probes (" + why + "), found " + available + " in " + all.source());
        }
        if (inputs.probes > available) {
            throw new BadInputException("--probes must be between " + fewest + " and the " + available + " images available in "
                    + all.source() + ", found " + inputs.probes);
        }
        int side = Math.max(all.images().height(), all.images().width());
        s.cuts().forEach(c -> Checks.requireResolvableCut(c, side));
        for (int c : s.cuts()) { // each --delta has a temperature (Eq. 3), checked before --out is touched
            s.deltas().forEach(d -> org.diffeo4j.field.Temperatures.temperature(d, c, side));
        }
        LabeledImages chosen = inputs.randomProbes ? Probes.random(all, inputs.probes, inputs.seed) : Probes.first(all, inputs.probes);
        ImageBatch x = norm == null ? chosen.images() : Inputs.normalise(norm, chosen.images());
        // the model's runtime on --threads, like the backend: ONNX Runtime's pool, libtorch's and ND4J's threads
        try (Model m = Inputs.tagged("--model", () -> Models.load(modelPath, org.diffeo4j.model.Options.threads(backendOptions.threadCount())))) {
            Inputs.taggedCheck("--model", () -> m.requireInput(x));
            Inputs.requireLayers(m, layers);
            String modelHash = StabilityReport.sha256(modelPath);
            String imagesHash = RunKeys.images(x);
            String key = RunKeys.measure(modelHash, imagesHash, s, inputs.probes, inputs.randomProbes);
            try (DiffeoBackend backend = backendOptions.open(err);
                 RunFolder folder = out == null ? null : RunFolder.open(out, "--out", "measure", key, List.of(LOG), true, prov.started())) {
                StabilityMeasurement run = new StabilityMeasurement(m, backend);
                StabilityMeasurement.CellStore log = folder == null ? StabilityMeasurement.CellStore.NONE
                        : StabilityReport.cellStore(StabilityReport.openJournal(folder.dir().resolve(LOG)), key);
                CountingStore store = new CountingStore(perProbe && folder != null ? PerProbe.measureAgain(log) : log);
                PerProbe probeSink = perProbe ? new PerProbe(chosen.labels()) : null;
                List<CellResult> cells;
                Interruption.stoppable(true);
                try (Progress p = new Progress(err, "measure", "realisations", s.steps())) {
                    cells = run.run(x, s, (done, total) -> {
                        p.set(done);
                        Interruption.check();
                    }, store, probeSink);
                } catch (Interruption.Stopped e) {
                    err.println("interrupted: " + store.saved() + " of " + s.cuts().size() * s.strengths() + " cells saved"
                            + (folder == null ? " (none kept: no --out); add --out DIR to make a run resumable"
                            : " in " + folder.dir().resolve(LOG) + "; rerun the same command to resume"));
                    return e.exitCode;
                } finally {
                    Interruption.stoppable(false);
                }
                if (store.reused() > 0) {
                    err.println("note: " + store.reused() + " finished cell(s) taken from " + out.resolve(LOG) + " (same model, data and parameters)");
                }
                Provenance p = provenance(prov, m, modelHash, imagesHash, all, backend, run, store.reused(), t0);
                String json = StabilityReport.json(cells, p);
                List<String> undefined = StabilityReport.undefinedCells(cells);
                boolean plot = StabilityReport.plottable(cells) && undefined.isEmpty(); // no log axis through an undefined value
                if (folder != null) {
                    folder.write("stability.json", json);
                    folder.write("stability.csv", StabilityReport.csv(cells));
                    if (plot) {
                        folder.writeFigure("stability.png", StabilityReport.chart(cells));
                    }
                    if (probeSink != null) {
                        probeSink.write(folder, s);
                    }
                    folder.commit(p);
                }
                stdout.print(format.equals("json") ? json : StabilityReport.table(cells, p, run.timings()));
                if (out != null && format.equals("table")) {
                    stdout.println("wrote stability.json, stability.csv" + (plot ? ", stability.png, stability.svg" : "")
                            + (perProbe ? ", per-probe.csv, per-probe.json, per-probe.png, per-probe.svg" : "") + " to " + out);
                }
                stdout.flush();
                if (!undefined.isEmpty()) {
                    throw new org.diffeo4j.run.RunFailedException("R_f is undefined in " + undefined.size() + " cell(s), written as null with the reason: "
                            + undefined.get(0));
                }
                return 0;
            }
        }
    }

    /** The run's provenance: the model and data with their hashes, the backend, the protocol's parameters and timings. */
    private Provenance provenance(Provenance.Builder b, Model m, String modelHash, String imagesHash, LabeledImages all, DiffeoBackend backend,
                                  StabilityMeasurement run, int reused, long t0) {
        b.version("model_runtime", m.runtime()).backend(backend.name(), backend.device()).threads(backendOptions.threadCount()).seed(inputs.seed);
        b.input("model", inputs.model == null ? "bundled:" + Bundled.MODEL : inputs.model.toString(), modelHash, m.description());
        b.input("data", inputs.data == null ? "bundled:first 500 of mnist t10k-images-idx3-ubyte.gz" : inputs.data.toString(), null, all.images().shapeString());
        b.input("probes", null, imagesHash, "the " + inputs.probes + " probe images as measured (after selection and normalisation)");
        b.detail("probes", inputs.probes).detail("probe_selection", inputs.randomProbes ? "random(seed " + inputs.seed + ")" : "first").detail("realisations", realisations)
                .detail("seed_addressing", "realisation r, probe i: diffeo at (seed, r*probes+i, streams 0/1), noise at (seed, r*probes+i, stream 2)")
                .detail("reused_cells", reused)
                .detail("timings", StabilityReport.timings(run.timings(), (System.nanoTime() - t0) / 1e9));
        return b.finish();
    }

    /** The sweep from the options (validated by {@link StabilitySpec}). */
    StabilitySpec spec() {
        int[] cuts = Lists.ints("--cut", inputs.cut);
        List<Double> deltas = List.of(), temps = List.of();
        if (strength.temperature != null) {
            temps = Arrays.stream(Lists.doubles("--temperature", strength.temperature)).boxed().toList();
        } else {
            deltas = strength.delta == null ? List.of(1.0) : Arrays.stream(Lists.doubles("--delta", strength.delta)).boxed().toList();
        }
        NoiseKind kind;
        try {
            kind = NoiseKind.parse(noise);
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("--noise", "gaussian or spectral", "'" + noise + "'");
        }
        return new StabilitySpec(Arrays.stream(cuts).boxed().toList(), deltas, temps, Interpolation.parse(interp),
                Average.parse(inputs.average), realisations, inputs.seed, layers, kind);
    }

}
