package org.diffeo4j.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.LayerResult;
import org.diffeo4j.stability.NoiseKind;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.run.Journal;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.stability.Summary;
import org.diffeo4j.stability.Timings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The outputs of a stability measurement: one JSON object ({@code results} and {@code provenance}),
 * a CSV with one row per cell and layer, a text table, and a figure of R_f, D_f, G_f against the
 * strength (log axes, one line per cut: the paper's Fig. 3 left).
 */
public final class StabilityReport {
    private StabilityReport() {
    }

    /** {@code {"results": [...], "provenance": {...}}} as indented JSON text. */
    public static String json(List<CellResult> cells, Provenance p) {
        JsonArray results = new JsonArray();
        cells.forEach(c -> results.add(cellJson(c)));
        JsonObject root = new JsonObject();
        root.add("results", results);
        root.add("provenance", TREE.toJsonTree(p.json()));
        return jsonText(root);
    }

    private static final com.google.gson.Gson TREE = new com.google.gson.GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().create();

    /**
     * The timings of a measurement as its provenance details hold them ({@code timings}: deform_s, noise_s,
     * transfer_s, forward_s, statistics_s, total_s).
     */
    public static Map<String, Object> timings(Timings t, double totalSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deform_s", t.deformSeconds());
        m.put("noise_s", t.noiseSeconds());
        m.put("transfer_s", t.transferSeconds());
        m.put("forward_s", t.forwardSeconds());
        m.put("statistics_s", t.statisticsSeconds());
        m.put("total_s", totalSeconds);
        return m;
    }

    /** The journal of finished cells ({@code stability.jsonl}): {@code {"key": RUN KEY, "cell": ...}} per line, unique per (run key, cut, T). */
    public static Journal openJournal(Path file) {
        return Journal.open(file, line -> {
            JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            JsonObject c = o.getAsJsonObject("cell");
            return entryKey(o.get("key").getAsString(), c.get("cut").getAsInt(), c.get("T").getAsDouble());
        });
    }

    private static String entryKey(String runKey, int cut, double temperature) {
        return runKey + "|" + cut + "|" + temperature;
    }

    /**
     * The cells of run {@code key} in {@code journal}, as a store for {@link StabilityMeasurement}: a rerun
     * with the same key takes them instead of measuring again, so an interrupted run loses only the cell
     * in progress. Lines of another key are left alone. A cell measured again (per-probe values are not
     * in the journal) is not appended twice.
     */
    public static StabilityMeasurement.CellStore cellStore(Journal journal, String key) {
        Map<String, CellResult> known = new LinkedHashMap<>();
        for (String line : journal.lines()) {
            JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            if (key.equals(o.get("key").getAsString())) {
                CellResult c = parseCell(o.getAsJsonObject("cell"));
                known.put(entryKey(key, c.cut(), c.temperature()), c);
            }
        }
        return new StabilityMeasurement.CellStore() {
            @Override
            public java.util.Optional<CellResult> find(int cut, double temperature) {
                return java.util.Optional.ofNullable(known.get(entryKey(key, cut, temperature)));
            }

            @Override
            public void finished(CellResult cell) {
                String k = entryKey(key, cell.cut(), cell.temperature());
                if (journal.has(k)) {
                    return;
                }
                JsonObject o = new JsonObject();
                o.addProperty("key", key);
                o.add("cell", cellJson(cell));
                journal.append(StrictJson.line(o, "the cell journal " + journal.file()));
                known.put(k, cell);
            }
        };
    }

    /** One entry of {@code results}. */
    static JsonObject cellJson(CellResult c) {
        JsonObject o = new JsonObject();
        o.addProperty("cut", c.cut());
        if (Double.isNaN(c.delta())) {
            o.add("delta", JsonNull.INSTANCE);
        } else {
            o.addProperty("delta", c.delta());
        }
        o.addProperty("T", c.temperature());
        o.addProperty("interp", c.interp().cliName());
        o.addProperty("average", c.average().cliName());
        o.addProperty("noise", c.noise().cliName());
        put(o, c.output());
        if (!c.layers().isEmpty()) {
            JsonObject layers = new JsonObject();
            c.layers().forEach((name, l) -> {
                JsonObject lo = new JsonObject();
                put(lo, l);
                layers.add(name, lo);
            });
            o.add("layers", layers);
        }
        return o;
    }

    /** The inverse of {@link #cellJson} (summaries recomputed from the per-realisation values). */
    static CellResult parseCell(JsonObject o) {
        Map<String, LayerResult> layers = new LinkedHashMap<>();
        if (o.has("layers")) {
            o.getAsJsonObject("layers").entrySet().forEach(e -> layers.put(e.getKey(), layer(e.getValue().getAsJsonObject())));
        }
        return new CellResult(o.get("cut").getAsInt(), o.get("delta").isJsonNull() ? Double.NaN : o.get("delta").getAsDouble(),
                o.get("T").getAsDouble(), Interpolation.parse(o.get("interp").getAsString()), Average.parse(o.get("average").getAsString()),
                layer(o), layers, o.has("noise") ? NoiseKind.parse(o.get("noise").getAsString()) : NoiseKind.GAUSSIAN); // logs before --noise: Gaussian
    }

    private static LayerResult layer(JsonObject o) {
        return new LayerResult(number(o.get("deno")), values(o, "D"), values(o, "G"), values(o, "R"));
    }

    /** The summary written under {@code key} (its "values"), undefined ones as NaN; attack.json reads with it too. */
    static Summary values(JsonObject o, String key) {
        JsonArray a = o.getAsJsonObject(key).getAsJsonArray("values");
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = number(a.get(k));
        }
        return Summary.of(v);
    }

    /** A JSON number, or NaN for the null that stands for an undefined value. */
    /** A JSON number, or NaN for null (an undefined value). */
    static double number(com.google.gson.JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static void put(JsonObject o, LayerResult l) {
        o.add("D", summary(l.d()));
        o.add("G", summary(l.g()));
        o.add("R", summary(l.r()));
        o.add("deno", finite(l.deno()));
        undefined(l).ifPresent(why -> o.addProperty("undefined", why));
    }

    /** A summary as {@code {logmean, std_log, values}}, undefined values null; the attack's report writes its own the same way. */
    static JsonObject summary(Summary s) {
        JsonObject o = new JsonObject();
        o.add("logmean", finite(s.logmean()));
        o.add("std_log", finite(s.stdLog()));
        JsonArray v = new JsonArray();
        for (double x : s.values()) {
            v.add(finite(x));
        }
        o.add("values", v);
        return o;
    }

    /** Strict JSON has no NaN or Infinity: an undefined value is null (the layer says why). */
    static com.google.gson.JsonElement finite(double v) {
        return Double.isFinite(v) ? new com.google.gson.JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /**
     * Why a layer's D_f, G_f or R_f is not a finite positive number, if it is not: the model's outputs
     * are not finite (NaN or infinite), the normalisation is 0 (every probe gives the same output),
     * G_f is 0 (the noise changes no output), or D_f is 0.
     */
    public static java.util.Optional<String> undefined(LayerResult l) {
        boolean ok = Double.isFinite(l.deno()) && l.deno() > 0;
        for (Summary s : List.of(l.d(), l.g(), l.r())) {
            ok &= Double.isFinite(s.logmean()) && s.logmean() > 0 && Double.isFinite(s.stdLog());
        }
        if (ok) {
            return java.util.Optional.empty();
        }
        if (Double.isNaN(l.deno()) || Double.isInfinite(l.deno())) {
            // Worded without "NaN": a JSON file holding the reason still greps clean for non-finite numbers.
            return java.util.Optional.of("the normalisation (the average distance between the outputs of two probes) is not a number: "
                    + "the model's outputs are not finite numbers (not-a-number or infinite values), so D_f, G_f and R_f are undefined");
        }
        if (!(l.deno() > 0)) {
            return java.util.Optional.of("the normalisation (the average distance between the outputs of two probes) is "
                    + l.deno() + ": the probes' outputs do not differ, so D_f and G_f are undefined");
        }
        if (Double.isNaN(l.d().logmean()) || Double.isNaN(l.g().logmean()) || Double.isInfinite(l.d().logmean())
                || Double.isInfinite(l.g().logmean())) {
            return java.util.Optional.of("the model's outputs on the deformed or noisy probes are not finite numbers (not-a-number or infinite values), "
                    + "so D_f, G_f and R_f are undefined");
        }
        if (!(l.g().logmean() > 0)) {
            return java.util.Optional.of("G_f is 0: the noise changes no output, so R_f = D_f / G_f is undefined");
        }
        return java.util.Optional.of("D_f is 0: the deformations change no output, so ln R_f is undefined");
    }

    /** The cells and layers whose statistics are undefined, one line each ("cut 3, delta 1, output: why"). */
    public static List<String> undefinedCells(List<CellResult> cells) {
        List<String> out = new ArrayList<>();
        for (CellResult c : cells) {
            undefined(c.output()).ifPresent(w -> out.add(cellName(c) + ", output: " + w));
            c.layers().forEach((n, l) -> undefined(l).ifPresent(w -> out.add(cellName(c) + ", layer " + n + ": " + w)));
        }
        return out;
    }

    private static String cellName(CellResult c) {
        return "cut " + c.cut() + (Double.isNaN(c.delta()) ? ", T " + c.temperature() : ", delta " + c.delta());
    }

    /** Pretty JSON text with a final newline. */
    static String jsonText(JsonObject o) {
        return StrictJson.pretty(o, "the measurement's JSON");
    }

    /** One row per cell and layer ("output" first); the noise last, so the older columns keep their places. */
    public static String csv(List<CellResult> cells) {
        StringBuilder s = new StringBuilder("layer,cut,delta,T,interp,average,D,G,R,std_log_D,std_log_G,std_log_R,deno,noise\n");
        for (CellResult c : cells) {
            row(s, "output", c, c.output());
            c.layers().forEach((name, l) -> row(s, name, c, l));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String layer, CellResult c, LayerResult l) {
        s.append(String.format(Locale.ROOT, "%s,%d,%s,%.9g,%s,%s,%.9g,%.9g,%.9g,%.6g,%.6g,%.6g,%.9g,%s%n", layer, c.cut(),
                Double.isNaN(c.delta()) ? "" : String.format(Locale.ROOT, "%g", c.delta()), c.temperature(), c.interp().cliName(),
                c.average().cliName(), l.d().logmean(), l.g().logmean(), l.r().logmean(), l.d().stdLog(), l.g().stdLog(),
                l.r().stdLog(), l.deno(), c.noise().cliName()));
    }

    /** A fixed-width table for people. */
    public static String table(List<CellResult> cells, Provenance p, Timings t) {
        StringBuilder s = new StringBuilder();
        Provenance.Input model = p.input("model"), data = p.input("data");
        s.append(String.format(Locale.ROOT, "model   %s%n        sha256 %s%n", model.description(), model.sha256()));
        s.append(String.format(Locale.ROOT, "data    %s, %s probes (%s) of %s%n", data.file(), p.details().get("probes"), p.details().get("probe_selection"),
                data.description()));
        s.append(String.format(Locale.ROOT, "run     %s realisation(s), seed %d, backend %s%s%n%n", p.details().get("realisations"), p.seeds().get(0), p.backend(),
                cells.stream().anyMatch(c -> c.noise() == NoiseKind.SPECTRAL) ? ", spectral noise: G_f and R_f are G_f^spec and R_f^spec" : ""));
        s.append(String.format(Locale.ROOT, "%-8s %4s %7s %11s %11s %11s %11s %8s%n", "layer", "cut", "delta", "T", "D_f", "G_f", "R_f", "std lnR"));
        for (CellResult c : cells) {
            tableRow(s, "output", c, c.output());
            c.layers().forEach((name, l) -> tableRow(s, name, c, l));
        }
        s.append(String.format(Locale.ROOT, "%ntime    %.2f s: deform %.3f, noise %.3f, forward %.3f, statistics %.3f%n", p.seconds(),
                t.deformSeconds(), t.noiseSeconds(), t.forwardSeconds(), t.statisticsSeconds()));
        return s.toString();
    }

    private static void tableRow(StringBuilder s, String layer, CellResult c, LayerResult l) {
        s.append(String.format(Locale.ROOT, "%-8s %4d %7s %11.4e %11s %11s %11s %8s%n", layer, c.cut(),
                Double.isNaN(c.delta()) ? "-" : String.format(Locale.ROOT, "%.3g", c.delta()), c.temperature(),
                cellText("%11.4e", l.d().logmean()), cellText("%11.4e", l.g().logmean()), cellText("%11.4f", l.r().logmean()),
                cellText("%8.4f", l.r().stdLog())));
    }

    /** A number, or "undefined" where it is NaN or infinite (see the JSON's "undefined" reason). */
    private static String cellText(String format, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v).strip() : "undefined";
    }

    /** True when the cells hold several strengths for some cut, so a figure is worth drawing. */
    public static boolean plottable(List<CellResult> cells) {
        return cells.stream().map(CellResult::cut).distinct().anyMatch(cut -> cells.stream().filter(c -> c.cut() == cut).count() > 1);
    }

    /**
     * R_f, D_f, G_f against delta (or T): three log-log panels side by side, one line per cut (the
     * paper's Fig. 3 left), error bars e^(+-1 s.d. of ln) over the realisations when there are several.
     */
    public static Figure chart(List<CellResult> cells) {
        boolean byDelta = cells.stream().noneMatch(c -> Double.isNaN(c.delta()));
        Plot.Axis x = Plot.Axis.log(byDelta ? "delta (pixels)" : "temperature T");
        String[] names = {"R_f = D_f / G_f", "D_f", "G_f"};
        int k = cells.stream().mapToInt(c -> c.output().r().values().length).max().orElse(1);
        String how = " (" + cells.get(0).interp().cliName() + ", " + cells.get(0).average().cliName()
                + (cells.get(0).noise() == NoiseKind.SPECTRAL ? ", spectral noise" : "")
                + (k > 1 ? ", bars: e^(+-sd ln) over " + k + " realisations" : "") + ")";
        List<Plot> panels = new ArrayList<>();
        for (int panel = 0; panel < 3; panel++) {
            List<Series> lines = new ArrayList<>();
            int colour = 0;
            for (int cut : new TreeSet<>(cells.stream().map(CellResult::cut).toList())) {
                List<CellResult> line = new ArrayList<>(cells.stream().filter(c -> c.cut() == cut).toList());
                line.sort((a, b) -> Double.compare(byDelta ? a.delta() : a.temperature(), byDelta ? b.delta() : b.temperature()));
                double[] xs = new double[line.size()], ys = new double[line.size()], sd = new double[line.size()];
                for (int i = 0; i < xs.length; i++) {
                    CellResult c = line.get(i);
                    xs[i] = byDelta ? c.delta() : c.temperature();
                    Summary v = panel == 0 ? c.output().r() : panel == 1 ? c.output().d() : c.output().g();
                    ys[i] = v.logmean();
                    sd[i] = v.stdLog();
                }
                lines.add(Series.line("c = " + cut, xs, ys, Plots.colour(colour++)).withLnSpread(sd));
            }
            panels.add(Plot.of(names[panel] + (panel == 0 ? how : ""), x, Plot.Axis.log(names[panel].substring(0, 3)), lines));
        }
        return Plots.row(panels, 600, 470);
    }

    /** SHA-256 of a file (or of a model folder's files), hex. */
    public static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // A model folder (model runtimes accept folders): its files in name order, each name then its bytes.
            List<Path> files;
            if (Files.isDirectory(file)) {
                try (var s = Files.walk(file)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(file);
            }
            byte[] buf = new byte[1 << 16];
            for (Path f : files) {
                if (!f.equals(file)) {
                    md.update(file.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new org.diffeo4j.validate.BadInputException("model file " + file + " must be readable, found " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
