package org.diffeo4j.cli;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.data.Probes;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.report.CellLog;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StabilityReport;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code diffeo measure}: the relative stability R_f = D_f / G_f of a model on probe images
 * (DESIGN.md section 1). Parses, then delegates to {@link StabilityMeasurement} and
 * {@link StabilityReport}. With no --model/--data it measures the bundled LeNet on 500 MNIST digits.
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Relative stability R_f = D_f / G_f of a network to diffeomorphisms vs. noise of the same norm.",
                "With no --model/--data: the bundled LeNet (ONNX, trained with PyTorch) on 500 bundled MNIST digits."})
final class MeasureCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH", description = "ONNX file (e.g. exported from PyTorch), TorchScript file (.pt) or DL4J ModelSerializer zip.")
    Path model;

    @Option(names = "--data", paramLabel = "PATH", description = "IDX (gz or not), CIFAR-10 .bin or folder, image folder (class sub-folders), .npy.")
    Path data;

    @Option(names = "--probes", defaultValue = "500", paramLabel = "N", description = "Probe images (default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--random-probes", description = "Draw the probes at random (from --seed) instead of taking the first N.")
    boolean randomProbes;

    @Option(names = "--cut", defaultValue = "3", paramLabel = "LIST", description = "Cut-offs c, e.g. 3 or 3,5,15 (default: ${DEFAULT-VALUE}).")
    String cut;

    @ArgGroup(exclusive = true)
    Strength strength = new Strength();

    static final class Strength {
        @Option(names = "--delta", paramLabel = "LIST", description = "Typical displacements in pixels, Eq. 3 (default 1; needs c >= 2); MIN:MAX:COUNT for log spacing.")
        String delta;
        @Option(names = "--temperature", paramLabel = "LIST", description = "Temperatures T instead of --delta.")
        String temperature;
    }

    @Option(names = "--interp", defaultValue = "bilinear", paramLabel = "NAME", description = "bilinear, gaussian or nearest (default: ${DEFAULT-VALUE}).")
    String interp;

    @Option(names = "--average", defaultValue = "median", paramLabel = "NAME", description = "median (reference) or mean (default: ${DEFAULT-VALUE}).")
    String average;

    @Option(names = "--realisations", defaultValue = "1", paramLabel = "K", description = "Independent realisations, log-averaged (default: ${DEFAULT-VALUE}).")
    int realisations;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layer", arity = "1..*", paramLabel = "NAME", description = "Hidden layers measured too (ONNX: any node output or its PyTorch module name; TorchScript: module names; DL4J: layer names; see diffeo layers).")
    List<String> layers = List.of();

    @Option(names = "--mean", paramLabel = "LIST", description = "Per-channel mean subtracted after scaling to [0, 1] (with --std).")
    String mean;

    @Option(names = "--std", paramLabel = "LIST", description = "Per-channel std divided by after subtracting --mean.")
    String std;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write stability.json, stability.csv, stability.png (several strengths) here, and log finished cells to stability.jsonl: a rerun resumes from it.")
    Path out;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FMT", description = "table or json (one JSON object on stdout) (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    BackendOptions backendOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be table or json, found '" + format + "'");
        }
        StabilitySpec s = spec();
        if ((model == null) != (data == null)) {
            throw new IllegalArgumentException("--model and --data must be given together (or neither, for the bundled LeNet), found only "
                    + (model == null ? "--data" : "--model"));
        }
        Path modelPath = model, dataPath = data;
        Path bundle = null;
        if (model == null) {
            bundle = Files.createTempDirectory("diffeo-bundled");
            modelPath = extract(bundle, "lenet_visible.onnx");
            dataPath = extract(bundle, "probes-images-idx3-ubyte.gz");
            extract(bundle, "probes-labels-idx1-ubyte.gz");
        }
        try {
            return measure(s, modelPath, dataPath, bundle != null, stdout, err);
        } finally {
            if (bundle != null) {
                try (var files = Files.list(bundle)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(bundle);
            }
        }
    }

    private int measure(StabilitySpec s, Path modelPath, Path dataPath, boolean bundled, PrintWriter stdout, PrintWriter err) throws IOException {
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        LabeledImages all = Datasets.load(dataPath);
        LabeledImages chosen = randomProbes ? Probes.random(all, probes, seed) : Probes.first(all, probes);
        ImageBatch x = normalisation() == null ? chosen.images() : normalisation().apply(chosen.images());
        try (Model m = Models.load(modelPath); DiffeoBackend backend = backendOptions.open(err)) {
            m.requireInput(x);
            StabilityMeasurement run = new StabilityMeasurement(m, backend);
            String modelHash = StabilityReport.sha256(modelPath);
            CellLog log = null;
            if (out != null) {
                Files.createDirectories(out);
                log = new CellLog(out.resolve("stability.jsonl"), runKey(modelHash, dataPath, s));
            }
            List<CellResult> cells;
            try (Progress p = new Progress(err, "measure", s.steps())) {
                cells = run.run(x, s, (done, total) -> p.set(done), log == null ? StabilityMeasurement.CellStore.NONE : log);
            }
            if (log != null && log.reused() > 0) {
                err.println("note: " + log.reused() + " finished cell(s) taken from " + out.resolve("stability.jsonl") + " (same model, data and parameters)");
            }
            Map<String, String> versions = new LinkedHashMap<>();
            versions.put("diffeo4j", new DiffeoCli.Version().getVersion()[0]);
            versions.put("java", Runtime.version().toString());
            versions.put("model_runtime", m.runtime());
            StabilityReport.Provenance prov = new StabilityReport.Provenance(
                    bundled ? "bundled:lenet_visible.onnx" : modelPath.toString(), modelHash, m.description(),
                    bundled ? "bundled:first 500 of mnist t10k-images-idx3-ubyte.gz" : dataPath.toString(),
                    all.images().shapeString(), probes, randomProbes ? "random(seed " + seed + ")" : "first", seed, realisations,
                    backend.name(), backend.device(), versions, run.timings(), (System.nanoTime() - t0) / 1e9, started);
            String json = StabilityReport.json(cells, prov);
            if (out != null) {
                Files2.writeString(out.resolve("stability.json"), json);
                Files2.writeString(out.resolve("stability.csv"), StabilityReport.csv(cells));
                if (StabilityReport.plottable(cells)) {
                    Files2.writePng(StabilityReport.chart(cells), out.resolve("stability.png"));
                }
            }
            stdout.print(format.equals("json") ? json : StabilityReport.table(cells, prov));
            if (out != null && format.equals("table")) {
                stdout.println("wrote stability.json, stability.csv" + (StabilityReport.plottable(cells) ? ", stability.png" : "") + " to " + out);
            }
            stdout.flush();
            return 0;
        }
    }

    /** The sweep from the options (validated by {@link StabilitySpec}). */
    StabilitySpec spec() {
        int[] cuts = Lists.ints("--cut", cut);
        List<Double> deltas = List.of(), temps = List.of();
        if (strength.temperature != null) {
            temps = Arrays.stream(Lists.doubles("--temperature", strength.temperature)).boxed().toList();
        } else {
            deltas = strength.delta == null ? List.of(1.0) : Arrays.stream(Lists.doubles("--delta", strength.delta)).boxed().toList();
        }
        if (probes < 1) {
            throw new IllegalArgumentException("--probes must be >= 1, found " + probes);
        }
        return new StabilitySpec(Arrays.stream(cuts).boxed().toList(), deltas, temps, Interpolation.parse(interp),
                Average.parse(average), realisations, seed, layers);
    }

    /** What must agree for a logged cell to be reused: everything that changes the numbers. */
    private String runKey(String modelHash, Path dataPath, StabilitySpec s) {
        return String.join("|", "model " + modelHash, "data " + dataPath.toAbsolutePath().normalize(), "probes " + probes,
                randomProbes ? "random" : "first", "mean " + mean, "std " + std, "interp " + s.interp(), "average " + s.average(),
                "realisations " + s.realisations(), "seed " + s.seed(), "layers " + s.layers());
    }

    private Normalisation normalisation() {
        if (mean == null && std == null) {
            return null;
        }
        if (mean == null || std == null) {
            throw new IllegalArgumentException("--mean and --std must be given together, found only " + (mean == null ? "--std" : "--mean"));
        }
        return new Normalisation(Lists.doubles("--mean", mean), Lists.doubles("--std", std));
    }

    private static Path extract(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = MeasureCommand.class.getResourceAsStream("bundled/" + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + name + " is missing from the jar");
            }
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }
}
