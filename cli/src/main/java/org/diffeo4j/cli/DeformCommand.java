package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.report.DeformGrid;
import org.diffeo4j.report.Figure;
import org.diffeo4j.data.Npy;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.validate.Checks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code diffeo deform}: deforms images with typical diffeos and draws the Fig. 1-style grid.
 * Everything is computed and validated before the first file is written.
 */
@Command(name = "deform", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Deform images with maximum-entropy diffeomorphisms; write the PNGs and a Fig. 1-style grid.",
                "The grid has rows T and columns c, the natural region framed. With no IMAGE: a bundled 128x128 photograph."})
final class DeformCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "PNG/JPEG files, or IDX/NPY files (pick entries with --index).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--index", defaultValue = "0", paramLabel = "LIST", description = "Entries of IDX/NPY inputs, e.g. 0,3 or 0-9. Default: ${DEFAULT-VALUE}.")
    String index;

    @Option(names = "--layout", defaultValue = "nchw", paramLabel = "NAME",
            description = "Axis order of 4-dimensional NPY data: nchw, or nhwc (transposed on reading). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--cut", defaultValue = "3", paramLabel = "N", description = "Cut-off c, from 1 to the image side - 1. Default: ${DEFAULT-VALUE}.")
    int cut;

    @ArgGroup(exclusive = true)
    Strength strength = new Strength();

    static final class Strength {
        @Option(names = "--delta", paramLabel = "X", description = "Typical displacement in pixels (Eq. 3; needs c >= 2). Default: 1.")
        Double delta;
        @Option(names = "--temperature", paramLabel = "X", description = "Temperature T > 0 instead of --delta.")
        Double temperature;
    }

    @Option(names = "--interp", defaultValue = "bilinear", paramLabel = "NAME", description = "bilinear, gaussian or nearest. Default: ${DEFAULT-VALUE}.")
    String interp;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--count", defaultValue = "1", paramLabel = "N", description = "Deformations per image. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", defaultValue = "out/deform", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--grid-cuts", defaultValue = "2,4,8,16,32", paramLabel = "LIST", description = "Grid columns: cut-offs. Default: ${DEFAULT-VALUE}.")
    String gridCuts;

    @Option(names = "--grid-temperatures", defaultValue = "1e-5:1e-1:5", paramLabel = "LIST",
            description = "Grid rows: temperatures, or MIN:MAX:COUNT log-spaced. Default: ${DEFAULT-VALUE}.")
    String gridTemperatures;

    @Option(names = "--no-grid", description = "Skip the grid figure.")
    boolean noGrid;

    // One line per part, each within the help's description column (CommandConventionsTest: picocli must not wrap them).
    @Option(names = "--augment", paramLabel = "SPEC", description = {
            "Show --count samples of the data augmentation instead, c and T drawn",
            "per image as in the authors' transform.py:",
            "diffeo[:s_T=X,r_T=X,s_c=X,r_c=X,c_min=N,c_max=N|auto,t_max_scale=X,",
            "interp=NAME,diffeomorphic=true|false,attempts=N]; replaces --cut,",
            "--delta, --temperature, --interp and the grid (docs/augment.md)."})
    String augment;

    // One line per part, each within the help's description column (CommandConventionsTest: picocli must not wrap them).
    @Option(names = "--coefficients", paramLabel = "PATH",
            description = {
                    "Replay the worst-case diffeos of a coefficients.json of diffeo",
                    "attack on the probes they were found for: IMAGE is the attack's",
                    "data file (none: the bundled digits), --index picks probes by data",
                    "index (default: all); writes a PNG per probe and replayed.npy (the",
                    "deformed probes as the model read them); replaces --cut, --delta,",
                    "--temperature, --interp, --seed, --count and the grid",
                    "(docs/attack.md)."})
    Path coefficients;

    @Mixin
    BackendOptions backendOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Provenance.Builder prov = Provenance.start("deform");
        PrintWriter err = spec.commandLine().getErr(), stdout = spec.commandLine().getOut();
        if (coefficients != null) {
            return replay(stdout);
        }
        Interpolation interpolation = Interpolation.parse(interp);
        Checks.requireAtLeast("--count", 1, count);
        Checks.requireCut(cut);
        if (strength.temperature != null) {
            Checks.requireFinitePositive("--temperature", strength.temperature);
        } else if (strength.delta != null) {
            Checks.requireFinitePositive("--delta", strength.delta);
        }
        int[] indices = Lists.ints("--index", index);
        int[] cuts = Lists.ints("--grid-cuts", gridCuts);
        double[] temps = Lists.doubles("--grid-temperatures", gridTemperatures);
        for (int c : cuts) {
            Checks.requireAtLeast("--grid-cuts", 1, c);
        }
        for (double t : temps) {
            Checks.requireFinitePositive("--grid-temperatures", t);
        }
        backendOptions.threadCount();
        Npy.Layout npyLayout = Npy.Layout.parse(layout);
        RunFolder.check(out, "--out", 4_000_000L + 262_144L * count * Math.max(1, images.size()) * indices.length);
        List<InputImages.Named> inputs = images.isEmpty() ? List.of(bundled()) : InputImages.load(images, indices, npyLayout);
        if (augment != null) {
            return augmentSamples(inputs, err, stdout, prov);
        }
        List<DiffeoSpec> specs = new ArrayList<>();
        for (InputImages.Named in : inputs) {
            specs.add(specFor(in.image(), interpolation));
        }
        if (!noGrid) {
            noteUnresolvedGridCuts(err, inputs.get(0).image(), cuts);
        }
        Map<String, Object> pending = new LinkedHashMap<>(); // everything to write, computed first
        long t0 = System.nanoTime();
        String backendName, device;
        try (RunFolder folder = RunFolder.open(out, "--out", "deform", key(inputs), List.of(), true, prov.started());
             DiffeoBackend backend = backendOptions.open(err)) {
            backendName = backend.name();
            device = backend.device();
            for (int k = 0; k < inputs.size(); k++) {
                ImageBatch img = inputs.get(k).image();
                ImageBatch reps = repeat(img, count);
                ImageBatch deformed = backend.deform(reps, specs.get(k), seed, 0);
                for (int r = 0; r < count; r++) {
                    pending.put(inputs.get(k).stem() + "_d" + r + ".png", ImageFiles.toImage(deformed, r));
                }
            }
            if (!noGrid) {
                pending.put("grid.png", GridFigure.render(backend, inputs.get(0), cuts, temps, interpolation, seed));
            }
            Provenance p = provenance(prov, inputs, backend).finish();
            pending.put("deform.json", json(inputs, specs, cuts, temps, p));
            folder.writeAll(pending);
            folder.commit(p);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stdout.printf("wrote %d file(s) to %s (%d image(s) x %d deformation(s), c=%d, T=%.4g, %s, backend %s, %.2f s)%n",
                pending.size() + (noGrid ? 0 : 1), out, inputs.size(), count, cut, specs.get(0).temperature(), interpolation.cliName(), backendName, seconds);
        return 0;
    }

    private DiffeoSpec specFor(ImageBatch img, Interpolation interpolation) {
        Checks.requireResolvableCut(cut, Math.max(img.height(), img.width()));
        if (strength.temperature != null) {
            return new DiffeoSpec(cut, strength.temperature, interpolation);
        }
        double delta = strength.delta == null ? 1.0 : strength.delta;
        if (cut < 2) {
            throw Checks.invalid("--cut", ">= 2 for a temperature from delta (ln 1 = 0); give --temperature instead", cut);
        }
        // Eq. 3 is per axis; on a non-square image the larger side is used, the conservative choice.
        return DiffeoSpec.ofDelta(cut, delta, Math.max(img.height(), img.width()), interpolation);
    }

    /** Grid columns beyond the Nyquist limit are drawn (the figure is about the ensemble) but said. */
    private static void noteUnresolvedGridCuts(PrintWriter err, ImageBatch img, int[] cuts) {
        int side = Math.max(img.height(), img.width()), limit = Checks.cutLimit(side);
        List<String> beyond = new ArrayList<>();
        for (int c : cuts) {
            if (c > limit) {
                beyond.add(Integer.toString(c));
            }
        }
        if (!beyond.isEmpty()) {
            err.println("note: grid cut-offs " + String.join(",", beyond) + " exceed " + limit + ", the Nyquist limit of the "
                    + side + "-pixel image: their highest modes alias onto lower ones");
        }
    }

    /** {@code --coefficients}: the attack's worst cases replayed ({@link CoefficientReplay}); the options it replaces must be left out. */
    private int replay(PrintWriter stdout) throws java.io.IOException {
        for (String o : List.of("--cut", "--delta", "--temperature", "--interp", "--seed", "--count", "--grid-cuts", "--grid-temperatures",
                "--no-grid", "--augment")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new BadInputException(o + " must be left out with --coefficients (the file gives each probe's c, T and "
                        + "coefficients), found " + o);
            }
        }
        int[] indices = spec.commandLine().getParseResult().hasMatchedOption("--index") ? Lists.ints("--index", index) : null;
        backendOptions.threadCount();
        Npy.Layout npyLayout = Npy.Layout.parse(layout);
        RunFolder.check(out, "--out", 4_000_000L);
        return CoefficientReplay.run(coefficients, images, indices, npyLayout, out, stdout);
    }

    /** What makes two runs' files belong together: parameters and the images' content. */
    private int augmentSamples(List<InputImages.Named> inputs, PrintWriter err, PrintWriter stdout, Provenance.Builder prov) throws java.io.IOException {
        for (String o : List.of("--cut", "--delta", "--temperature", "--interp", "--grid-cuts", "--grid-temperatures")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new BadInputException(o + " must be left out with --augment (it draws c and T per image), found " + o);
            }
        }
        AugmentSpec augSpec;
        try {
            augSpec = AugmentSpec.parse(augment);
            for (InputImages.Named in : inputs) {
                augSpec.cutMaxFor(in.image().width());
            }
        } catch (IllegalArgumentException e) {
            // core names the setting (s_T, c_max); the user typed it in --augment
            String m = e.getMessage();
            throw new BadInputException(m.startsWith("augment ") ? "--" + m : "--augment " + m, e);
        }
        List<String> names = images.isEmpty() ? List.of("bundled:sample.png") : images.stream().map(Path::toString).toList();
        StringBuilder key = new StringBuilder("deform augment v1|" + augSpec.format() + "|" + seed + "|" + count);
        for (InputImages.Named in : inputs) {
            key.append('|').append(in.stem()).append(' ').append(RunKeys.images(in.image()));
        }
        prov.detail("augment", augSpec.format());
        try (RunFolder folder = RunFolder.open(out, "--out", "deform", RunKeys.sha256(key.toString()), List.of(), true, prov.started());
             DiffeoBackend backend = backendOptions.open(err)) {
            return AugmentSamples.run(augSpec, inputs, count, seed, folder, out, backend, stdout, names, provenance(prov, inputs, backend));
        }
    }

    private String key(List<InputImages.Named> inputs) {
        StringBuilder b = new StringBuilder("deform v1|" + cut + "|" + strength.delta + "|" + strength.temperature + "|" + interp + "|"
                + seed + "|" + count + "|" + gridCuts + "|" + gridTemperatures + "|" + noGrid);
        for (InputImages.Named in : inputs) {
            b.append('|').append(in.stem()).append(' ').append(RunKeys.images(in.image()));
        }
        return RunKeys.sha256(b.toString());
    }

    private static ImageBatch repeat(ImageBatch one, int k) {
        float[] d = new float[k * one.sampleSize()];
        for (int r = 0; r < k; r++) {
            System.arraycopy(one.data(), 0, d, r * one.sampleSize(), one.sampleSize());
        }
        return new ImageBatch(k, one.channels(), one.height(), one.width(), d);
    }

    /**
     * The grid figure, kept out of the command's own method signatures: picocli reflects over every
     * declared method of a command, so a {@code BufferedImage} in one of them made every subcommand,
     * {@code verify} included, need java.desktop (seen with the GPU bundle's jlink runtime).
     */
    static final class GridFigure {
        private GridFigure() {
        }

        static Figure render(DiffeoBackend backend, InputImages.Named in, int[] cuts, double[] temps,
                                    Interpolation interpolation, long seed) {
            int n = Math.max(in.image().height(), in.image().width());
            ImageBatch[][] cells = new ImageBatch[temps.length][cuts.length];
            boolean[][] natural = new boolean[temps.length][cuts.length];
            for (int r = 0; r < temps.length; r++) {
                for (int c = 0; c < cuts.length; c++) {
                    // Same seed and sample in every cell: modes are addressed independently of c, so a
                    // row shows one deformation refined as c grows, and a column the same one scaled.
                    cells[r][c] = backend.deform(in.image(), new DiffeoSpec(cuts[c], temps[r], interpolation), seed, 0);
                    natural[r][c] = cuts[c] >= 2 && temps[r] >= Temperatures.tMin(cuts[c], n) && temps[r] <= Temperatures.tMax(cuts[c]);
                }
            }
            int cell = Math.max(96, Math.min(160, n));
            return DeformGrid.figure("diffeo4j: " + in.stem() + ", " + interpolation.cliName() + ", seed " + seed, cells, temps, cuts, natural, cell);
        }
    }

    /**
     * The run's provenance: every input image with the SHA-256 of its pixels as read (an entry of an IDX or
     * NPY file is named by its stem), the backend, threads and seed.
     */
    private Provenance.Builder provenance(Provenance.Builder b, List<InputImages.Named> inputs, DiffeoBackend backend) {
        b.backend(backend.name(), backend.device()).threads(backendOptions.threadCount()).seed(seed);
        for (InputImages.Named in : inputs) {
            b.input(in.stem(), in.source(), RunKeys.images(in.image()), in.image().shapeString());
        }
        return b;
    }

    /** deform.json: the parameters of every image's deformation, then the provenance. */
    private String json(List<InputImages.Named> inputs, List<DiffeoSpec> specs, int[] cuts, double[] temps, Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "deform");
        m.put("inputs", images.isEmpty() ? List.of("bundled:sample.png") : images.stream().map(Path::toString).toList());
        List<Map<String, Object>> per = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("image", inputs.get(k).stem());
            e.put("shape", inputs.get(k).image().shapeString());
            e.put("cut", specs.get(k).cut());
            e.put("T", specs.get(k).temperature());
            e.put("delta", strength.temperature == null ? (strength.delta == null ? 1.0 : strength.delta) : null);
            per.add(e);
        }
        m.put("images", per);
        m.put("interp", specs.get(0).interpolation().cliName());
        m.put("seed", seed);
        m.put("count", count);
        m.put("stream_addresses", "sample r of every image uses (seed, r); see docs/randomness.md");
        m.put("grid", noGrid ? null : Map.of("cuts", cuts, "temperatures", temps));
        m.put("provenance", p.json());
        return StrictJson.pretty(m, "deform's JSON");
    }

    private static InputImages.Named bundled() throws java.io.IOException {
        try (InputStream in = DeformCommand.class.getResourceAsStream("sample.png")) {
            return new InputImages.Named("sample", ImageFiles.read(in, "bundled sample.png"), "bundled:sample.png");
        }
    }
}
