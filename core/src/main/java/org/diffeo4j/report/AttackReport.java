package org.diffeo4j.report;

import org.diffeo4j.validate.BadInputException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackCounters;
import org.diffeo4j.attack.AttackMethod;
import org.diffeo4j.attack.ProbeOutcome;
import org.diffeo4j.attack.Target;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.LayerResult;
import org.diffeo4j.stability.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.diffeo4j.report.StabilityReport.finite;
import static org.diffeo4j.report.StabilityReport.number;
import static org.diffeo4j.report.StabilityReport.summary;
import static org.diffeo4j.report.StabilityReport.values;

/**
 * {@code diffeo attack}'s outputs: the JSON of results and provenance, the CSV of cells and of probes,
 * the coefficients file {@code deform --coefficients} replays, a table, and the figure of D_f* and the
 * flip rates against delta. The probe sheet is {@link AttackSheet}.
 */
public final class AttackReport {
    /** The coefficients file's format name. */
    public static final String COEFFICIENTS_FORMAT = "diffeo4j-attack-coefficients";

    /**
     * What the attack's table, its replay file ({@link #coefficients}) and its provenance details ({@link #details}) are made
     * of: the run's inputs, seed, normalisation and counters. The provenance itself is the one record every command writes
     * ({@code org.diffeo4j.run.Provenance}).
     *
     * @param normalisation per-channel mean and std the probes were normalised with before they were deformed, or null
     */
    public record Setup(String modelFile, String modelSha256, String model, String dataFile, String dataShape, int probes,
                             String probeSelection, long seed, Map<String, double[]> normalisation, int threads, Map<String, String> versions,
                             AttackCounters counters, double wallSeconds, String started) {
    }

    private AttackReport() {
    }

    /** A cell as JSON: the statistics, and with {@code probes} every probe's outcome (the journal keeps them all). */
    static JsonObject cellJson(AttackCell c, boolean probes) {
        JsonObject o = new JsonObject();
        o.addProperty("cut", c.cut());
        o.add("delta", Double.isNaN(c.delta()) ? JsonNull.INSTANCE : finite(c.delta()));
        o.addProperty("T", c.temperature());
        o.addProperty("target", c.target().cliName());
        o.addProperty("method", c.method().cliName());
        o.addProperty("average", c.average().cliName());
        o.addProperty("restarts", c.restarts());
        o.addProperty("steps", c.steps());
        o.add("deno", finite(c.deno()));
        JsonObject typical = new JsonObject();
        typical.add("D", summary(c.typical().d()));
        typical.add("G", summary(c.typical().g()));
        typical.add("R", summary(c.typical().r()));
        typical.add("flip_rate", finite(c.flipTypical()));
        o.add("typical", typical);
        JsonObject worst = new JsonObject();
        worst.add("D", finite(c.dWorst()));
        worst.add("R", finite(c.rWorst()));
        worst.add("G", finite(c.gWorst()));
        worst.add("R_rel", finite(c.rRelativeWorst()));
        worst.add("gain", finite(c.gain()));
        worst.add("flip_rate", finite(c.flipWorst()));
        worst.add("noise_flip_rate", finite(c.flipNoise()));
        worst.add("folded_fraction", finite(c.foldedWorst()));
        worst.add("min_jacobian_det", finite(c.minDeterminantWorst()));
        o.add("worst", worst);
        JsonObject energy = new JsonObject();
        energy.addProperty("budget", c.energyBudget());
        energy.addProperty("max_relative_error", c.energyError());
        o.add("energy", energy);
        undefined(c).ifPresent(why -> o.addProperty("undefined", why));
        if (probes) {
            JsonArray a = new JsonArray();
            c.probes().forEach(p -> a.add(probeJson(p)));
            o.add("probes", a);
        }
        return o;
    }

    static JsonObject probeJson(ProbeOutcome p) {
        JsonObject o = new JsonObject();
        o.addProperty("probe", p.probe());
        o.addProperty("index", p.index());
        o.addProperty("label", p.label());
        o.add("predicted", ints(p.predicted()));
        JsonArray d = new JsonArray();
        for (double v : p.distances()) {
            d.add(finite(v));
        }
        o.add("distances", d);
        o.add("objective", finite(p.objective()));
        o.addProperty("restart", p.restart());
        o.addProperty("energy", p.energy());
        o.add("zu", floats(p.zu()));
        o.add("zv", floats(p.zv()));
        o.add("output", floats(p.output()));
        return o;
    }

    /** The inverse of {@link #cellJson} with probes. */
    static AttackCell parseCell(JsonObject o) {
        JsonObject t = o.getAsJsonObject("typical"), w = o.getAsJsonObject("worst");
        Summary d = values(t, "D"), g = values(t, "G"), r = values(t, "R");
        List<ProbeOutcome> probes = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("probes")) {
            JsonObject p = e.getAsJsonObject();
            JsonArray dist = p.getAsJsonArray("distances");
            double[] distances = new double[dist.size()];
            for (int k = 0; k < distances.length; k++) {
                distances[k] = number(dist.get(k));
            }
            probes.add(new ProbeOutcome(p.get("probe").getAsInt(), p.get("index").getAsInt(), p.get("label").getAsInt(), toInts(p.getAsJsonArray("predicted")),
                    distances, number(p.get("objective")), p.get("restart").getAsInt(), p.get("energy").getAsDouble(), toFloats(p.getAsJsonArray("zu")),
                    toFloats(p.getAsJsonArray("zv")), toFloats(p.getAsJsonArray("output"))));
        }
        JsonObject energy = o.getAsJsonObject("energy");
        return new AttackCell(o.get("cut").getAsInt(), o.get("delta").isJsonNull() ? Double.NaN : o.get("delta").getAsDouble(), o.get("T").getAsDouble(),
                Target.parse(o.get("target").getAsString()), AttackMethod.parse(o.get("method").getAsString()), Average.parse(o.get("average").getAsString()),
                o.get("restarts").getAsInt(), o.get("steps").getAsInt(), number(o.get("deno")), new LayerResult(number(o.get("deno")), d, g, r),
                number(w.get("D")), number(w.get("G")), number(t.get("flip_rate")), number(w.get("flip_rate")), number(w.get("noise_flip_rate")),
                energy.get("budget").getAsDouble(), energy.get("max_relative_error").getAsDouble(),
                w.has("folded_fraction") ? number(w.get("folded_fraction")) : Double.NaN,
                w.has("min_jacobian_det") ? number(w.get("min_jacobian_det")) : Double.NaN, probes);
    }

    /** Why a cell's statistics are not finite positive numbers, if they are not. */
    public static Optional<String> undefined(AttackCell c) {
        Optional<String> typical = StabilityReport.undefined(c.typical());
        if (typical.isPresent()) {
            return typical;
        }
        if (!(Double.isFinite(c.dWorst()) && c.dWorst() > 0 && Double.isFinite(c.gWorst()) && c.gWorst() > 0)) {
            return Optional.of("the model's outputs on the worst-case deformed or noisy probes give D_f* = " + c.dWorst() + " and G_f* = " + c.gWorst()
                    + ", so R_f* and R_f^rel* are undefined");
        }
        return Optional.empty();
    }

    /** The undefined cells, one line each. */
    public static List<String> undefinedCells(List<AttackCell> cells) {
        List<String> out = new ArrayList<>();
        for (AttackCell c : cells) {
            undefined(c).ifPresent(w -> out.add("cut " + c.cut() + (Double.isNaN(c.delta()) ? ", T " + c.temperature() : ", delta " + c.delta()) + ": " + w));
        }
        return out;
    }

    /** {@code {"results": [cells without probes], "provenance": {...}}}, pretty, strict. */
    public static String json(List<AttackCell> cells, Map<String, Object> provenance) {
        JsonObject root = new JsonObject();
        JsonArray results = new JsonArray();
        cells.forEach(c -> results.add(cellJson(c, false)));
        root.add("results", results);
        root.add("provenance", TREE.toJsonTree(provenance));
        return StrictJson.pretty(root, "the attack's JSON");
    }

    private static final com.google.gson.Gson TREE = new com.google.gson.GsonBuilder().serializeNulls().create();

    /**
     * The attack's own entries of its provenance ({@code org.diffeo4j.run.Provenance}'s details, written after the
     * common ones): probes, their selection, the normalisation, the seeds' addressing, timings and evaluations.
     */
    public static Map<String, Object> details(Setup p) {
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("probes", p.probes());
        o.put("probe_selection", p.probeSelection());
        o.put("normalisation", p.normalisation());
        o.put("seed_addressing", "restart r of probe i starts from the diffeo at (seed, r*probes+i, streams 0/1), as a measurement's "
                + "realisation r; the noise ascent from the noise at (seed, i, stream 2); the ascent draws nothing");
        o.put("interp", "bilinear");
        AttackCounters k = p.counters();
        Map<String, Object> t = new java.util.LinkedHashMap<>();
        t.put("deform_s", k.deformSeconds());
        t.put("forward_s", k.forwardSeconds());
        t.put("forward_backward_s", k.backwardSeconds());
        t.put("other_s", k.otherSeconds());
        t.put("total_s", p.wallSeconds());
        o.put("timings", t);
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("forward_images", k.forwardImages());
        e.put("forward_backward_images", k.backwardImages());
        o.put("evaluations", e);
        return o;
    }

    private static JsonElement normalisation(Setup p) {
        if (p.normalisation() == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject n = new JsonObject();
        n.add("mean", doubles(p.normalisation().get("mean")));
        n.add("std", doubles(p.normalisation().get("std")));
        return n;
    }

    /**
     * The worst coefficients of every probe and cell, for {@code deform --coefficients}: the data and
     * normalisation the probes came from, and per cell and probe the data index, z_u and z_v on the c x c
     * grid (float values, as synthesis reads them) and f(tau* x).
     */
    public static String coefficients(List<AttackCell> cells, Setup p, int[] chw) {
        JsonObject root = new JsonObject();
        root.addProperty("format", COEFFICIENTS_FORMAT);
        root.addProperty("version", 1);
        root.addProperty("layout", "per cell and probe: z_u, z_v of tau_u, tau_v on the c x c grid, element (i-1)*c + (j-1) for mode (i, j), "
                + "0 outside the disc i^2 + j^2 <= c^2 + c; the field is dx = W sqrt(T) sum z_ij sin(i pi x/(W-1)) sin(j pi y/(H-1)) / "
                + "sqrt(i^2 + j^2), dy the same with H and z_v; bilinear remap; index: the probe's entry in the data");
        JsonObject data = new JsonObject();
        data.addProperty("file", p.dataFile());
        data.addProperty("shape", p.dataShape());
        data.add("image", ints(chw));
        root.add("data", data);
        root.add("normalisation", normalisation(p));
        JsonObject model = new JsonObject();
        model.addProperty("file", p.modelFile());
        model.addProperty("sha256", p.modelSha256());
        root.add("model", model);
        root.addProperty("seed", p.seed());
        JsonArray a = new JsonArray();
        for (AttackCell c : cells) {
            JsonObject o = new JsonObject();
            o.addProperty("cut", c.cut());
            o.add("delta", Double.isNaN(c.delta()) ? JsonNull.INSTANCE : finite(c.delta()));
            o.addProperty("T", c.temperature());
            o.addProperty("target", c.target().cliName());
            o.addProperty("energy_budget", c.energyBudget());
            JsonArray entries = new JsonArray();
            for (ProbeOutcome q : c.probes()) {
                JsonObject e = new JsonObject();
                e.addProperty("probe", q.probe());
                e.addProperty("index", q.index());
                e.addProperty("restart", q.restart());
                e.addProperty("energy", q.energy());
                e.add("zu", floats(q.zu()));
                e.add("zv", floats(q.zv()));
                e.add("output", floats(q.output()));
                entries.add(e);
            }
            o.add("entries", entries);
            a.add(o);
        }
        root.add("cells", a);
        return StrictJson.pretty(root, "the coefficients file");
    }

    /**
     * A coefficients file read back: where its probes came from and one replay per (cell, probe).
     *
     * @param chw the image shape {C, H, W} the coefficients were found for
     * @param mean per-channel mean of the normalisation applied before deforming, or null; {@code std} likewise
     */
    public record Coefficients(String dataFile, int[] chw, double[] mean, double[] std, List<Replay> replays) {
    }

    /** One probe of one cell: deform data entry {@code index} by {@code zu}, {@code zv} (c x c grids) at T; f(tau* x) was {@code output}. */
    public record Replay(int cut, double delta, double temperature, int probe, int index, float[] zu, float[] zv, float[] output) {
    }

    /** Reads a file {@link #coefficients} wrote; a one-line {@link IllegalArgumentException} naming what is wrong otherwise. */
    public static Coefficients readCoefficients(java.nio.file.Path file) {
        String where = "coefficients must be a coefficients.json written by diffeo attack, found " + file;
        JsonObject root;
        try {
            root = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(file)).getAsJsonObject();
        } catch (java.io.IOException | RuntimeException e) {
            throw new BadInputException(where + " (" + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : "not readable as JSON") + ")");
        }
        if (!root.has("format") || !COEFFICIENTS_FORMAT.equals(root.get("format").getAsString()) || root.get("version").getAsInt() != 1) {
            throw new BadInputException(where + " (format " + (root.has("format") ? root.get("format") : "missing") + ", not "
                    + COEFFICIENTS_FORMAT + " version 1)");
        }
        try {
            JsonObject data = root.getAsJsonObject("data");
            int[] chw = toInts(data.getAsJsonArray("image"));
            double[] mean = null, std = null;
            if (!root.get("normalisation").isJsonNull()) {
                mean = toDoubles(root.getAsJsonObject("normalisation").getAsJsonArray("mean"));
                std = toDoubles(root.getAsJsonObject("normalisation").getAsJsonArray("std"));
            }
            List<Replay> replays = new ArrayList<>();
            for (JsonElement ce : root.getAsJsonArray("cells")) {
                JsonObject c = ce.getAsJsonObject();
                int cut = c.get("cut").getAsInt();
                double delta = c.get("delta").isJsonNull() ? Double.NaN : c.get("delta").getAsDouble(), t = c.get("T").getAsDouble();
                for (JsonElement ee : c.getAsJsonArray("entries")) {
                    JsonObject e = ee.getAsJsonObject();
                    float[] zu = toFloats(e.getAsJsonArray("zu")), zv = toFloats(e.getAsJsonArray("zv"));
                    if (zu.length != cut * cut || zv.length != cut * cut) {
                        throw new BadInputException("an entry of cut " + cut + " holds " + zu.length + " and " + zv.length
                                + " coefficients, not " + cut * cut);
                    }
                    replays.add(new Replay(cut, delta, t, e.get("probe").getAsInt(), e.get("index").getAsInt(), zu, zv, toFloats(e.getAsJsonArray("output"))));
                }
            }
            return new Coefficients(data.get("file").getAsString(), chw, mean, std, replays);
        } catch (RuntimeException e) {
            throw new BadInputException(where + " (" + (e.getMessage() == null ? "a field is missing" : e.getMessage()) + ")");
        }
    }

    private static double[] toDoubles(JsonArray a) {
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.get(k).getAsDouble();
        }
        return v;
    }

    /** One row per cell. */
    public static String csv(List<AttackCell> cells) {
        StringBuilder s = new StringBuilder("cut,delta,T,target,method,average,restarts,steps,D,G,R,D_worst,R_worst,G_worst,R_rel_worst,gain,"
                + "flip_typical,flip_worst,flip_noise_worst,deno,energy_budget,energy_max_rel_error,folded_worst,min_jacobian_det_worst\n");
        for (AttackCell c : cells) {
            s.append(String.format(Locale.ROOT, "%d,%s,%.9g,%s,%s,%s,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.6g,%.6g,%.6g,%.6g,%.9g,%.9g,%.3g,%.6g,%.6g%n",
                    c.cut(), delta(c), c.temperature(), c.target().cliName(), c.method().cliName(), c.average().cliName(), c.restarts(), c.steps(),
                    c.typical().d().logmean(), c.typical().g().logmean(), c.typical().r().logmean(), c.dWorst(), c.rWorst(), c.gWorst(),
                    c.rRelativeWorst(), c.gain(), c.flipTypical(), c.flipWorst(), c.flipNoise(), c.deno(), c.energyBudget(), c.energyError(),
                    c.foldedWorst(), c.minDeterminantWorst()));
        }
        return s.toString();
    }

    /**
     * One row per (cell, probe): the predicted classes of x, tau x (typical, realisation 0), tau* x and
     * x + eta*, the squared output distances (raw and divided by deno), the objective and the energy.
     */
    public static String probesCsv(List<AttackCell> cells) {
        StringBuilder s = new StringBuilder("cut,delta,T,probe,index,label,predicted,predicted_typical,predicted_worst,predicted_noise_worst,"
                + "D_typical,D_worst,G_worst_noise,D_typical_norm,D_worst_norm,objective,restart,energy\n");
        for (AttackCell c : cells) {
            for (ProbeOutcome p : c.probes()) {
                s.append(String.format(Locale.ROOT, "%d,%s,%.9g,%d,%d,%s,%d,%d,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%d,%.9g%n", c.cut(), delta(c),
                        c.temperature(), p.probe(), p.index(), p.label() < 0 ? "" : String.valueOf(p.label()), p.predicted()[0], p.predicted()[1],
                        p.predicted()[2], p.predicted()[3], p.distances()[1], p.distances()[2], p.distances()[3], p.distances()[1] / c.deno(),
                        p.distances()[2] / c.deno(), p.objective(), p.restart(), p.energy()));
            }
        }
        return s.toString();
    }

    /** A fixed-width table for people. */
    public static String table(List<AttackCell> cells, Setup p) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model   %s%n        sha256 %s%n", p.model(), p.modelSha256()));
        s.append(String.format(Locale.ROOT, "data    %s, %d probes (%s) of %s%n", p.dataFile(), p.probes(), p.probeSelection(), p.dataShape()));
        AttackCell first = cells.get(0);
        s.append(String.format(Locale.ROOT, "attack  target %s, method %s, %d restart(s) x %d step(s), seed %d; typical: %d realisation(s)%n%n",
                first.target().cliName(), first.method().cliName(), first.restarts(), first.steps(), p.seed(), first.restarts()));
        s.append(String.format(Locale.ROOT, "%4s %7s %11s %11s %11s %7s %11s %9s %9s %11s %9s %6s %6s %7s %7s%n", "cut", "delta", "T", "D_f", "D_f*", "D*/D",
                "G_f", "R_f", "R_f*", "G_f*", "R_f^rel*", "flip", "flip*", "flipN*", "folded*"));
        for (AttackCell c : cells) {
            s.append(String.format(Locale.ROOT, "%4d %7s %11.4e %11s %11s %7s %11s %9s %9s %11s %9s %6.3f %6.3f %7.3f %7s%n", c.cut(),
                    Double.isNaN(c.delta()) ? "-" : String.format(Locale.ROOT, "%.3g", c.delta()), c.temperature(),
                    text("%.4e", c.typical().d().logmean()), text("%.4e", c.dWorst()), text("%.2f", c.gain()), text("%.4e", c.typical().g().logmean()),
                    text("%.3f", c.typical().r().logmean()), text("%.3f", c.rWorst()), text("%.4e", c.gWorst()), text("%.4f", c.rRelativeWorst()),
                    c.flipTypical(), c.flipWorst(), c.flipNoise(), text("%.3f", c.foldedWorst())));
        }
        // folded*: fraction of probes whose worst field tau* folds the grid (det(I - grad tau*) <= 0 at some pixel)
        AttackCounters k = p.counters();
        s.append(String.format(Locale.ROOT, "%ntime    %.2f s: deform %.3f, forward %.3f (%d images), forward+backward %.3f (%d images)%n", p.wallSeconds(),
                k.deformSeconds(), k.forwardSeconds(), k.forwardImages(), k.backwardSeconds(), k.backwardImages()));
        return s.toString();
    }

    /** True when some cut has several strengths, so a figure against delta is worth drawing. */
    public static boolean plottable(List<AttackCell> cells) {
        return cells.stream().map(AttackCell::cut).distinct().anyMatch(cut -> cells.stream().filter(c -> c.cut() == cut).count() > 1);
    }

    /**
     * Three panels against delta (or T), one colour per cut: D_f* (solid) and the typical D_f (dashed),
     * log-log; the fraction of probes whose predicted label flips under the worst-case diffeo (solid), the
     * typical one (dashed) and the worst-case noise (dots); R_f* = D_f* / G_f (solid), R_f (dashed) and
     * R_f^rel* = D_f* / G_f* (dots), log-log.
     */
    public static Figure chart(List<AttackCell> cells) {
        boolean byDelta = cells.stream().noneMatch(c -> Double.isNaN(c.delta()));
        Plot.Axis x = Plot.Axis.log(byDelta ? "delta (pixels)" : "temperature T");
        AttackCell first = cells.get(0);
        String how = " (" + first.target().cliName() + ", " + first.method().cliName() + ", " + first.restarts() + " x " + first.steps() + ")";
        List<Series> d = new ArrayList<>(), flips = new ArrayList<>(), r = new ArrayList<>();
        int colour = 0;
        for (int cut : new TreeSet<>(cells.stream().map(AttackCell::cut).toList())) {
            List<AttackCell> line = new ArrayList<>(cells.stream().filter(c -> c.cut() == cut).toList());
            line.sort((a, b) -> Double.compare(byDelta ? a.delta() : a.temperature(), byDelta ? b.delta() : b.temperature()));
            int n = line.size();
            double[] xs = new double[n];
            double[][] y = new double[8][n];
            for (int i = 0; i < n; i++) {
                AttackCell c = line.get(i);
                xs[i] = byDelta ? c.delta() : c.temperature();
                double[] v = {c.dWorst(), c.typical().d().logmean(), c.flipWorst(), c.flipTypical(), c.flipNoise(), c.rWorst(),
                    c.typical().r().logmean(), c.rRelativeWorst()};
                for (int k = 0; k < v.length; k++) {
                    y[k][i] = v[k];
                }
            }
            java.awt.Color col = Plots.colour(colour++);
            String c = "c = " + cut;
            d.add(Series.line(c + ": D_f* (worst)", xs, y[0], col));
            d.add(Series.line(c + ": D_f (typical)", xs, y[1], col).dashed());
            flips.add(Series.line(c + ": worst diffeo", xs, y[2], col));
            flips.add(Series.line(c + ": typical diffeo", xs, y[3], col).dashed());
            flips.add(Series.dots(c + ": worst noise", xs, y[4], col, 9));
            r.add(Series.line(c + ": R_f*", xs, y[5], col));
            r.add(Series.line(c + ": R_f", xs, y[6], col).dashed());
            r.add(Series.dots(c + ": R_f^rel*", xs, y[7], col, 9));
        }
        return Plots.row(List.of(Plot.of("D_f* and D_f" + how, x, Plot.Axis.log("D_f"), d),
                Plot.of("fraction of probes whose label flips", x, Plot.Axis.linear("flip rate"), flips),
                Plot.of("R_f* = D_f*/G_f, R_f^rel* = D_f*/G_f*, R_f", x, Plot.Axis.log("ratio"), r)), 600, 520);
    }

    static String delta(AttackCell c) {
        return Double.isNaN(c.delta()) ? "" : String.format(Locale.ROOT, "%g", c.delta());
    }

    private static String text(String format, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "undefined";
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) {
            a.add(Float.isFinite(x) ? new JsonPrimitive(x) : JsonNull.INSTANCE);
        }
        return a;
    }

    private static JsonArray doubles(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    private static int[] toInts(JsonArray a) {
        int[] v = new int[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.get(k).getAsInt();
        }
        return v;
    }

    /** Floats as written (Float.toString is the shortest text that reads back to the same float). */
    static float[] toFloats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.get(k).isJsonNull() ? Float.NaN : a.get(k).getAsFloat();
        }
        return v;
    }
}
