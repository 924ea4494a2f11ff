package org.diffeo4j.train.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The study's summary from its cells: one entry per (dataset, arch, train size, augmentation, cut, strength) with
 * R, D, G at initialisation and after training log-averaged over seeds (R's geometric mean, as the
 * paper averages R_f) and the test error's arithmetic mean; one fit eps_t = a R_f^b per (dataset,
 * cut, strength) over the architectures (each augmentation its own point, labelled "arch +augment") at
 * their largest train size, each point the log-average over seeds (a test error of 0 counts as half an
 * error on the test set so its log stays finite).
 */
public final class StudySummary {
    /** One summary row. */
    public record Entry(String dataset, String arch, int trainSize, int cut, double delta, double temperature, int seeds,
                        double rInit, double rTrained, double dInit, double dTrained, double gInit, double gTrained, double testError,
                        double testErrorLogMean, long parameters, int depth, String augment) {
        /** The arch, with " +AUGMENT" when trained with augmentation ({@link Cell#label()}). */
        public String label() {
            return Cell.label(arch, augment);
        }
    }

    /** A fit and the points it was fitted to. */
    public record Fit(String dataset, int cut, double delta, double temperature, List<String> archs, double[] r, double[] eps, PowerLaw law) {
    }

    private final List<Entry> entries;
    private final List<Fit> fits;

    private StudySummary(List<Entry> entries, List<Fit> fits) {
        this.entries = entries;
        this.fits = fits;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<Fit> fits() {
        return fits;
    }

    /**
     * Summarises {@code cells}; {@code testImages} per dataset bounds a zero test error from below.
     * The result does not depend on the order of the cells.
     */
    public static StudySummary of(List<Cell> cells, Map<String, Integer> testImages) {
        List<Cell> sorted = new ArrayList<>(cells);
        // Numeric order of P (keys sort 1024 before 256), no augmentation first; the key last makes the order total.
        sorted.sort(java.util.Comparator.comparing(Cell::dataset).thenComparing(Cell::arch).thenComparingInt(Cell::trainSize)
                .thenComparing(c -> c.augment().equals(Cell.NONE) ? "" : c.augment()).thenComparingLong(Cell::seed).thenComparingInt(Cell::cut).thenComparing(Cell::key));
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : sorted) {
            groups.computeIfAbsent(String.join("|", c.dataset(), c.arch(), Integer.toString(c.trainSize()), c.augment(), Integer.toString(c.cut()),
                    Double.toString(c.delta()), Double.toString(c.temperature())), k -> new ArrayList<>()).add(c);
        }
        List<Entry> entries = new ArrayList<>();
        for (List<Cell> g : groups.values()) {
            Cell f = g.get(0);
            double floor = 0.5 / testImages.getOrDefault(f.dataset(), 10000);
            boolean hasInit = f.init() != null;
            entries.add(new Entry(f.dataset(), f.arch(), f.trainSize(), f.cut(), f.delta(), f.temperature(), g.size(),
                    hasInit ? logMean(g, c -> c.init().r()) : Double.NaN, logMean(g, c -> c.trained().r()),
                    hasInit ? logMean(g, c -> c.init().d()) : Double.NaN, logMean(g, c -> c.trained().d()),
                    hasInit ? logMean(g, c -> c.init().g()) : Double.NaN, logMean(g, c -> c.trained().g()),
                    g.stream().mapToDouble(Cell::testError).average().orElse(Double.NaN),
                    logMean(g, c -> Math.max(c.testError(), floor)), f.parameters(), f.depth(), f.augment()));
        }
        List<Fit> fits = new ArrayList<>();
        Map<String, List<Entry>> byCondition = new LinkedHashMap<>();
        for (Entry e : entries) {
            byCondition.computeIfAbsent(e.dataset() + "|" + e.cut() + "|" + e.delta() + "|" + e.temperature(), k -> new ArrayList<>()).add(e);
        }
        for (List<Entry> es : byCondition.values()) {
            Map<String, Entry> largest = new LinkedHashMap<>();
            for (Entry e : es) {
                Entry old = largest.get(e.label());
                if (old == null || e.trainSize() > old.trainSize()) {
                    largest.put(e.label(), e);
                }
            }
            List<String> archs = new ArrayList<>(largest.keySet());
            double[] r = largest.values().stream().mapToDouble(Entry::rTrained).toArray();
            double[] eps = largest.values().stream().mapToDouble(Entry::testErrorLogMean).toArray();
            Entry f = es.get(0);
            fits.add(new Fit(f.dataset(), f.cut(), f.delta(), f.temperature(), archs, r, eps, PowerLaw.fit(r, eps)));
        }
        return new StudySummary(entries, fits);
    }

    private static double logMean(List<Cell> g, ToDoubleFunction<Cell> v) {
        return Math.exp(g.stream().mapToDouble(c -> Math.log(v.applyAsDouble(c))).average().orElse(Double.NaN));
    }

    /** summary.json: {"name", "cells", "entries": [...], "fit": the first fit, "fits": [...]}. */
    public String json(String name, int cells) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("cells", cells);
        JsonArray es = new JsonArray();
        for (Entry e : entries) {
            JsonObject j = new JsonObject();
            j.addProperty("dataset", e.dataset());
            j.addProperty("arch", e.arch());
            if (!e.augment().equals(Cell.NONE)) {
                j.addProperty("augment", e.augment());
            }
            if (e.trainSize() > 0) {
                j.addProperty("train_size", e.trainSize());
            }
            j.addProperty("cut", e.cut());
            number(j, "delta", e.delta());
            j.addProperty("temperature", e.temperature());
            j.addProperty("seeds", e.seeds());
            number(j, "R_init", e.rInit());
            number(j, "R_trained", e.rTrained());
            number(j, "D_init", e.dInit());
            number(j, "D_trained", e.dTrained());
            number(j, "G_init", e.gInit());
            number(j, "G_trained", e.gTrained());
            j.addProperty("test_error", e.testError());
            j.addProperty("parameters", e.parameters());
            j.addProperty("depth", e.depth());
            es.add(j);
        }
        o.add("entries", es);
        JsonArray fs = new JsonArray();
        for (Fit f : fits) {
            JsonObject j = new JsonObject();
            j.addProperty("dataset", f.dataset());
            j.addProperty("cut", f.cut());
            number(j, "delta", f.delta());
            j.addProperty("temperature", f.temperature());
            number(j, "a", f.law().a());
            number(j, "b", f.law().b());
            number(j, "corr", f.law().corr());
            j.addProperty("points", f.law().n());
            JsonArray pts = new JsonArray();
            for (int i = 0; i < f.archs().size(); i++) {
                JsonObject p = new JsonObject();
                p.addProperty("arch", f.archs().get(i));
                number(p, "R_trained", f.r()[i]);
                number(p, "test_error", f.eps()[i]);
                pts.add(p);
            }
            j.add("data", pts);
            fs.add(j);
        }
        if (!fits.isEmpty()) {
            o.add("fit", fs.get(0));
        }
        o.add("fits", fs);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(o) + "\n";
    }

    /** True when some entry was trained with augmentation. */
    public boolean augmented() {
        return entries.stream().anyMatch(e -> !e.augment().equals(Cell.NONE));
    }

    /** summary.csv: one line per entry; an {@code augment} column after {@code arch} when some entry was augmented. */
    public String csv() {
        boolean aug = augmented();
        StringBuilder b = new StringBuilder("dataset,arch," + (aug ? "augment," : "")
                + "train_size,cut,delta,temperature,seeds,R_init,R_trained,D_init,D_trained,G_init,G_trained,test_error,parameters,depth\n");
        for (Entry e : entries) {
            // an augment label holds commas when diffeo options are set: quoted (RFC 4180)
            String arch = aug ? e.arch() + "," + csvField(e.augment()) : e.arch();
            b.append(String.join(",", e.dataset(), arch, e.trainSize() > 0 ? Integer.toString(e.trainSize()) : "", Integer.toString(e.cut()),
                    num(e.delta()), num(e.temperature()), Integer.toString(e.seeds()), num(e.rInit()), num(e.rTrained()), num(e.dInit()),
                    num(e.dTrained()), num(e.gInit()), num(e.gTrained()), num(e.testError()), Long.toString(e.parameters()),
                    Integer.toString(e.depth()))).append('\n');
        }
        return b.toString();
    }

    /** A field quoted when it holds a comma or a quote (RFC 4180). */
    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
