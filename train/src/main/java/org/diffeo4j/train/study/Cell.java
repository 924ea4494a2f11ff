package org.diffeo4j.train.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.run.Journal;

import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished cell of a study: one (dataset, arch, train size, augmentation, seed) trained and
 * measured at one (cut, delta or temperature). {@code init} is null for models measured, not trained.
 *
 * @param trainSize 0 for an existing model (written as null)
 * @param layers hidden layers by name, in order (empty unless the study asks for them)
 * @param augment the training augmentation's label ({@code org.diffeo4j.augment.Augmentation#label}),
 *        {@code none} when none: then the key and the JSON are those of studies before augmentations
 * @param fit how far training went and which checkpoint was measured; null for a model measured (not
 *        trained) and for cells written before it was recorded
 * @param parameters trainable scalars, -1 when the model's runtime cannot tell (then left out of the JSON)
 * @param depth weight layers on the longest path, -1 when unknown (a TorchScript model: left out of the JSON)
 */
public record Cell(String dataset, String arch, int trainSize, long seed, int cut, double delta, double temperature, double testError,
                   DGR init, DGR trained, Map<String, Layer> layers, long parameters, int depth, String model, String augment, Fit fit) {
    /** Trained without augmentation (or a model measured), no fit recorded. */
    public Cell(String dataset, String arch, int trainSize, long seed, int cut, double delta, double temperature, double testError,
                DGR init, DGR trained, Map<String, Layer> layers, long parameters, int depth, String model) {
        this(dataset, arch, trainSize, seed, cut, delta, temperature, testError, init, trained, layers, parameters, depth, model, NONE);
    }

    /** No fit recorded. */
    public Cell(String dataset, String arch, int trainSize, long seed, int cut, double delta, double temperature, double testError,
                DGR init, DGR trained, Map<String, Layer> layers, long parameters, int depth, String model, String augment) {
        this(dataset, arch, trainSize, seed, cut, delta, temperature, testError, init, trained, layers, parameters, depth, model, augment, null);
    }

    /** The augment of cells trained without augmentation. */
    public static final String NONE = "none";

    public Cell {
        augment = augment == null ? NONE : augment;
    }

    /** True unless training recorded that it did not converge: cells without a fit count as converged. */
    public boolean converged() {
        return fit == null || fit.converged();
    }

    /** The same cell with {@code fit} recorded. */
    public Cell withFit(Fit fit) {
        return new Cell(dataset, arch, trainSize, seed, cut, delta, temperature, testError, init, trained, layers, parameters, depth, model, augment, fit);
    }

    /**
     * How the measured network was trained: can its R_f be trusted as that of a trained net?
     *
     * @param trainLoss the measured checkpoint's mean training loss (NaN when diverged: written as null)
     * @param trainError the measured checkpoint's training error in eval mode, in [0, 1]
     * @param epochsRun epochs actually run (early stopping may end before the study's epochs)
     * @param selected which checkpoint was measured: {@link #LAST}, {@link #BEST_VALIDATION} or {@link #BEST_TEST}
     * @param selectedEpoch the measured checkpoint's epoch
     * @param converged whether the net counts as trained
     * @param why when not converged, the reason ("training error 0.12 > 0.01"); null when converged
     */
    public record Fit(double trainLoss, double trainError, int epochsRun, String selected, int selectedEpoch, boolean converged, String why,
                      List<During> during) {
        /** Without R_f during training. */
        public Fit(double trainLoss, double trainError, int epochsRun, String selected, int selectedEpoch, boolean converged, String why) {
            this(trainLoss, trainError, epochsRun, selected, selectedEpoch, converged, why, List.of());
        }

        /** The last epoch's weights. */
        public static final String LAST = "last";
        /** The epoch of the lowest validation error. */
        public static final String BEST_VALIDATION = "best-validation";
        /** The epoch of the lowest test error: the test set chose the model, so its test error is optimistic. */
        public static final String BEST_TEST = "best-test";

        public Fit {
            if (!LAST.equals(selected) && !BEST_VALIDATION.equals(selected) && !BEST_TEST.equals(selected)) {
                throw new IllegalArgumentException("fit selected must be last, best-validation or best-test, found " + selected);
            }
            if (epochsRun < 0 || selectedEpoch < 0) {
                throw new IllegalArgumentException("fit epochs_run and selected_epoch must be >= 0, found " + epochsRun + " and " + selectedEpoch);
            }
            if (!converged && (why == null || why.isBlank())) {
                throw new IllegalArgumentException("fit why must say why a cell did not converge, found " + (why == null ? "none" : "a blank"));
            }
            why = converged ? null : why;
            during = during == null ? List.of() : List.copyOf(during);
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            if (Double.isFinite(trainLoss)) {
                o.addProperty("train_loss", trainLoss);
            } else {
                o.add("train_loss", com.google.gson.JsonNull.INSTANCE);
            }
            if (Double.isFinite(trainError)) {
                o.addProperty("train_error", trainError);
            } else {
                o.add("train_error", com.google.gson.JsonNull.INSTANCE);
            }
            o.addProperty("epochs_run", epochsRun);
            o.addProperty("selected", selected);
            o.addProperty("selected_epoch", selectedEpoch);
            o.addProperty("converged", converged);
            if (!converged) {
                o.addProperty("why", why);
            }
            if (!during.isEmpty()) {
                com.google.gson.JsonArray a = new com.google.gson.JsonArray();
                for (During d : during) {
                    com.google.gson.JsonArray row = new com.google.gson.JsonArray();
                    row.add(d.epoch());
                    for (double v : new double[]{d.d(), d.g(), d.r()}) {
                        if (Double.isFinite(v)) {
                            row.add(v);
                        } else {
                            row.add(com.google.gson.JsonNull.INSTANCE);
                        }
                    }
                    a.add(row);
                }
                o.add("during", a);
            }
            return o;
        }

        static Fit of(JsonObject o) {
            List<During> during = new java.util.ArrayList<>();
            if (o.has("during")) {
                for (com.google.gson.JsonElement e : o.getAsJsonArray("during")) {
                    com.google.gson.JsonArray r = e.getAsJsonArray();
                    during.add(new During(r.get(0).getAsInt(), num(r.get(1)), num(r.get(2)), num(r.get(3))));
                }
            }
            return new Fit(orNaN(o, "train_loss"), orNaN(o, "train_error"), o.get("epochs_run").getAsInt(), o.get("selected").getAsString(),
                    o.get("selected_epoch").getAsInt(), o.get("converged").getAsBoolean(), o.has("why") ? o.get("why").getAsString() : null, during);
        }

        private static double num(com.google.gson.JsonElement e) {
            return e.isJsonNull() ? Double.NaN : e.getAsDouble();
        }

        private static double orNaN(JsonObject o, String key) {
            return o.get(key).isJsonNull() ? Double.NaN : o.get(key).getAsDouble();
        }
    }

    /** D_f, G_f, R_f of the net after {@code epoch} epochs of training (--measure-every; c = 3, delta = 1). */
    public record During(int epoch, double d, double g, double r) {
    }

    /** The arch, with {@code " +AUGMENT"} when trained with augmentation: how summaries and figures name the group. */
    public String label() {
        return label(arch, augment);
    }

    static String label(String arch, String augment) {
        return augment.equals(NONE) ? arch : arch + " +" + augment;
    }

    /**
     * D_f, G_f and R_f = D_f / G_f of one layer (log-averaged over realisations), and, where the study asks for
     * the spectral control ({@code measure.spectral}), G_f^spec and R_f^spec = D_f / G_f^spec with noise of the
     * power spectrum of tau x - x (NaN when not measured: then not written); where it asks for the worst case
     * ({@code measure.attack}, the output of a trained net only), D_f* of {@code diffeo attack} and
     * R_f* = D_f* / G_f (NaN when not measured: then not written).
     */
    public record DGR(double d, double g, double r, double gSpec, double rSpec, double dStar, double rStar) {
        /** Without the spectral control. */
        public DGR(double d, double g, double r) {
            this(d, g, r, Double.NaN, Double.NaN);
        }

        /** Without the worst case. */
        public DGR(double d, double g, double r, double gSpec, double rSpec) {
            this(d, g, r, gSpec, rSpec, Double.NaN, Double.NaN);
        }

        /** Whether G_f^spec and R_f^spec were measured. */
        public boolean hasSpectral() {
            return !Double.isNaN(rSpec);
        }

        /** Whether D_f* and R_f* were measured. */
        public boolean hasWorst() {
            return !Double.isNaN(rStar);
        }

        /** This with the worst case's D_f* and R_f* (D_f* over the attack's own G_f, the same draws' as this G_f's). */
        public DGR withWorst(double dWorst, double rWorst) {
            return new DGR(d, g, r, gSpec, rSpec, dWorst, rWorst);
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("D", d);
            o.addProperty("G", g);
            o.addProperty("R", r);
            if (hasSpectral()) {
                o.addProperty("G_spec", gSpec);
                o.addProperty("R_spec", rSpec);
            }
            if (hasWorst()) {
                o.addProperty("D_star", dStar);
                o.addProperty("R_star", rStar);
            }
            return o;
        }

        static DGR of(JsonObject o) {
            if (o == null) {
                return null;
            }
            boolean spec = o.has("R_spec"), star = o.has("R_star");
            return new DGR(o.get("D").getAsDouble(), o.get("G").getAsDouble(), o.get("R").getAsDouble(),
                    spec ? o.get("G_spec").getAsDouble() : Double.NaN, spec ? o.get("R_spec").getAsDouble() : Double.NaN,
                    star ? o.get("D_star").getAsDouble() : Double.NaN, star ? o.get("R_star").getAsDouble() : Double.NaN);
        }
    }

    /** A hidden layer: its relative depth (stage index / stages, the output at 1) and its D, G, R. */
    public record Layer(double relativeDepth, DGR init, DGR trained) {
    }

    /** What identifies the cell in cells.jsonl: reruns skip the cells whose key is present. */
    public String key() {
        return key(dataset, arch, trainSize, seed, cut, delta, temperature, augment);
    }

    static String key(String dataset, String arch, int trainSize, long seed, int cut, double delta, double temperature, String augment) {
        String k = dataset + "|" + arch + "|" + trainSize + "|" + seed + "|" + cut + "|" + (Double.isNaN(delta) ? "T" + temperature : "d" + delta);
        // extended only with an augmentation, so the keys of studies without one are unchanged
        return augment.equals(NONE) ? k : k + "|aug " + augment;
    }

    /** The cell as one JSON object (a cells.jsonl line). */
    public JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("key", key());
        o.addProperty("dataset", dataset);
        o.addProperty("arch", arch);
        if (!augment.equals(NONE)) {
            o.addProperty("augment", augment);
        }
        if (trainSize > 0) {
            o.addProperty("train_size", trainSize);
        } else {
            o.add("train_size", com.google.gson.JsonNull.INSTANCE);
        }
        o.addProperty("seed", seed);
        o.addProperty("cut", cut);
        if (Double.isNaN(delta)) {
            o.add("delta", com.google.gson.JsonNull.INSTANCE);
        } else {
            o.addProperty("delta", delta);
        }
        o.addProperty("temperature", temperature);
        o.addProperty("test_error", testError);
        if (init != null) {
            o.add("init", init.json());
        }
        o.add("trained", trained.json());
        if (!layers.isEmpty()) {
            JsonObject ls = new JsonObject();
            layers.forEach((k, v) -> {
                JsonObject l = new JsonObject();
                l.addProperty("relative_depth", v.relativeDepth());
                if (v.init() != null) {
                    l.add("init", v.init().json());
                }
                l.add("trained", v.trained().json());
                ls.add(k, l);
            });
            o.add("layers", ls);
        }
        if (parameters >= 0) { // unknown: left out, never a made-up number
            o.addProperty("parameters", parameters);
        }
        if (depth >= 0) {
            o.addProperty("depth", depth);
        }
        o.addProperty("model", model);
        if (fit != null) {
            o.add("fit", fit.json());
        }
        return o;
    }

    /**
     * The depth of a cells.jsonl object, -1 when absent. Cells written before unknown values were left
     * out say 0 for an unknown depth (measured models, TorchScript modules); no net has zero weight
     * layers, so 0 is read as unknown too.
     */
    private static int depth(JsonObject o) {
        int d = o.has("depth") ? o.get("depth").getAsInt() : -1;
        return d > 0 ? d : -1;
    }

    /** Reads a cells.jsonl object. */
    /**
     * A study's journal of cells ({@code cells.jsonl}): one cell per line, keyed by {@link #key()} (the
     * run store's {@link Journal}: a torn last line dropped, a malformed or repeated line refused).
     */
    public static Journal journal(Path file) {
        return Journal.open(file, line -> of(JsonParser.parseString(line).getAsJsonObject()).key());
    }

    /** The cells of {@code journal}, in the order written. */
    public static List<Cell> cells(Journal journal) {
        List<Cell> out = new java.util.ArrayList<>();
        for (String line : journal.lines()) {
            out.add(of(JsonParser.parseString(line).getAsJsonObject()));
        }
        return out;
    }

    /** Appends the cells of {@code cells} whose keys {@code journal} does not hold yet (a unit recomputed after a kill). */
    public static void appendMissing(Journal journal, List<Cell> cells) {
        for (Cell c : cells) {
            if (!journal.has(c.key())) {
                journal.append(c.json().toString());
            }
        }
    }

    public static Cell of(JsonObject o) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        if (o.has("layers")) {
            for (Map.Entry<String, com.google.gson.JsonElement> e : o.getAsJsonObject("layers").entrySet()) {
                JsonObject l = e.getValue().getAsJsonObject();
                layers.put(e.getKey(), new Layer(l.get("relative_depth").getAsDouble(), DGR.of(l.getAsJsonObject("init")),
                        DGR.of(l.getAsJsonObject("trained"))));
            }
        }
        return new Cell(o.get("dataset").getAsString(), o.get("arch").getAsString(),
                o.get("train_size").isJsonNull() ? 0 : o.get("train_size").getAsInt(), o.get("seed").getAsLong(), o.get("cut").getAsInt(),
                o.get("delta").isJsonNull() ? Double.NaN : o.get("delta").getAsDouble(), o.get("temperature").getAsDouble(),
                o.get("test_error").getAsDouble(), DGR.of(o.getAsJsonObject("init")), DGR.of(o.getAsJsonObject("trained")), layers,
                o.has("parameters") ? o.get("parameters").getAsLong() : -1, depth(o), o.get("model").getAsString(),
                o.has("augment") ? o.get("augment").getAsString() : NONE,
                o.has("fit") && !o.get("fit").isJsonNull() ? Fit.of(o.getAsJsonObject("fit")) : null);
    }
}
