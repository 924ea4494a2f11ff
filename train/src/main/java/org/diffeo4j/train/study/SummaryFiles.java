package org.diffeo4j.train.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.diffeo4j.train.study.Bootstrap.Estimate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * summary.json and summary.csv of a {@link StudySummary}. The JSON is strict: a value or interval
 * that is absent (no initialisation, one seed) is null, and Gson is left to refuse NaN and infinities,
 * so a slip fails loudly instead of writing a file other parsers reject.
 */
final class SummaryFiles {
    /** Suffix of an interval's key in summary.json: {@code "R_trained_ci95": [lo, hi]} or null. */
    static final String CI = "_ci95";

    private SummaryFiles() {
    }

    static String json(StudySummary s, String name, int cells) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("cells", cells);
        o.addProperty("non_converged", s.nonConverged());
        if (s.selected() != null) {
            o.addProperty("selected", s.selected());
        }
        JsonObject boot = new JsonObject();
        boot.addProperty("method", "percentile");
        boot.addProperty("level", Bootstrap.LEVEL);
        boot.addProperty("resamples", Bootstrap.RESAMPLES);
        boot.addProperty("seed", Bootstrap.SEED);
        boot.addProperty("resampled", "the seeds of each entry; for slopes and fits, the seeds of each of their points apart");
        o.add("bootstrap", boot);
        JsonArray es = new JsonArray();
        for (StudySummary.Entry e : s.entries()) {
            es.add(entry(e));
        }
        o.add("entries", es);
        JsonArray fs = new JsonArray();
        for (StudySummary.Fit f : s.fits()) {
            fs.add(fit(f));
        }
        if (!s.fits().isEmpty()) {
            o.add("fit", fs.get(0));
        }
        o.add("fits", fs);
        JsonArray ss = new JsonArray();
        for (StudySummary.Slope sl : s.slopes()) {
            JsonObject j = new JsonObject();
            j.addProperty("dataset", sl.dataset());
            j.addProperty("arch", sl.arch());
            if (!sl.augment().equals(Cell.NONE)) {
                j.addProperty("augment", sl.augment());
            }
            j.addProperty("cut", sl.cut());
            number(j, "delta", sl.delta());
            number(j, "temperature", sl.temperature());
            JsonArray p = new JsonArray();
            sl.trainSizes().forEach(p::add);
            j.add("train_sizes", p);
            estimate(j, "slope", sl.slope());
            j.addProperty("non_converged", sl.nonConverged());
            ss.add(j);
        }
        o.add("slopes", ss);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(o) + "\n";
    }

    private static JsonObject entry(StudySummary.Entry e) {
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
        number(j, "temperature", e.temperature());
        j.addProperty("seeds", e.seeds());
        j.addProperty("non_converged", e.nonConverged());
        if (e.selected() != null) {
            j.addProperty("selected", e.selected());
        }
        dgr(j, "_init", e.init());
        dgr(j, "_trained", e.trained());
        estimate(j, "test_error", e.error());
        if (e.parameters() >= 0) { // unknown (a runtime that cannot tell): left out, as in the cells
            j.addProperty("parameters", e.parameters());
        }
        if (e.depth() >= 0) {
            j.addProperty("depth", e.depth());
        }
        if (!e.layers().isEmpty()) {
            JsonObject ls = new JsonObject();
            for (Map.Entry<String, StudySummary.Layer> l : e.layers().entrySet()) {
                JsonObject lj = new JsonObject();
                number(lj, "relative_depth", l.getValue().relativeDepth());
                dgr(lj, "_init", l.getValue().init());
                dgr(lj, "_trained", l.getValue().trained());
                ls.add(l.getKey(), lj);
            }
            j.add("layers", ls);
        }
        return j;
    }

    private static JsonObject fit(StudySummary.Fit f) {
        JsonObject j = new JsonObject();
        j.addProperty("dataset", f.dataset());
        j.addProperty("cut", f.cut());
        number(j, "delta", f.delta());
        number(j, "temperature", f.temperature());
        number(j, "a", f.law().a());
        estimate(j, "b", f.b());
        estimate(j, "corr", f.corr());
        if (f.law().n() == 2) {
            j.addProperty("corr_note", "two networks: +-1 by construction");
        }
        j.addProperty("points", f.law().n());
        j.addProperty("non_converged", f.nonConverged());
        JsonArray pts = new JsonArray();
        for (StudySummary.Point p : f.points()) {
            JsonObject pj = new JsonObject();
            pj.addProperty("arch", p.label());
            if (p.trainSize() > 0) {
                pj.addProperty("train_size", p.trainSize());
            }
            pj.addProperty("seeds", p.seeds());
            pj.addProperty("non_converged", p.nonConverged());
            estimate(pj, "R_trained", p.r());
            estimate(pj, "test_error", p.eps());
            pts.add(pj);
        }
        j.add("data", pts);
        return j;
    }

    /** R, D, G with their intervals under keys R{suffix}, R{suffix}_ci95, ...; nulls when {@code v} is null. */
    private static void dgr(JsonObject j, String suffix, StudySummary.DGR v) {
        Estimate none = Estimate.point(Double.NaN);
        estimate(j, "R" + suffix, v == null ? none : v.r());
        estimate(j, "D" + suffix, v == null ? none : v.d());
        estimate(j, "G" + suffix, v == null ? none : v.g());
        if (v != null && v.rSpec() != null) {
            estimate(j, "R_spec" + suffix, v.rSpec());
            estimate(j, "G_spec" + suffix, v.gSpec());
        }
        if (v != null && v.rStar() != null) {
            estimate(j, "R_star" + suffix, v.rStar());
            estimate(j, "D_star" + suffix, v.dStar());
        }
    }

    /** {@code key}: the value, {@code key_ci95}: [lo, hi] or null. */
    private static void estimate(JsonObject j, String key, Estimate e) {
        number(j, key, e.value());
        if (e.hasInterval() && Double.isFinite(e.lo()) && Double.isFinite(e.hi())) {
            JsonArray a = new JsonArray();
            a.add(e.lo());
            a.add(e.hi());
            j.add(key + CI, a);
        } else {
            j.add(key + CI, JsonNull.INSTANCE);
        }
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }

    /**
     * The printed summary: one line per entry (R_f and test error with their intervals), per slope,
     * per fit (each named by its dataset, cut and strength), then how many cells did not converge and
     * whether a checkpoint was chosen on the test set.
     */
    static List<String> text(StudySummary s) {
        List<String> out = new ArrayList<>();
        for (StudySummary.Entry e : s.entries()) {
            out.add(String.format(Locale.ROOT, "%-14s %-13s P=%-6s c=%d %s  R_init %-8s R_trained %-26s%s%s test error %.4f%s (%d seed%s%s)", e.dataset(),
                    e.label(), e.trainSize() > 0 ? Integer.toString(e.trainSize()) : "-", e.cut(),
                    Double.isNaN(e.delta()) ? "T=" + e.temperature() : "delta=" + e.delta(), fmt(e.rInit()), withInterval(e.trained().r()),
                    e.trained().rSpec() == null ? "" : " R_spec " + withInterval(e.trained().rSpec()),
                    e.trained().rStar() == null ? "" : " R_star " + withInterval(e.trained().rStar()),
                    e.testError(), e.error().hasInterval() ? String.format(Locale.ROOT, " [%.4f, %.4f]", e.error().lo(), e.error().hi()) : "",
                    e.seeds(), e.seeds() == 1 ? "" : "s", e.nonConverged() > 0 ? ", " + e.nonConverged() + " not converged" : ""));
        }
        for (StudySummary.Slope sl : s.slopes()) {
            out.add(String.format(Locale.ROOT, "slope %s %s: d ln R_f / d ln P = %s over %d train sizes%s",
                    StudySummary.condition(sl.dataset(), sl.cut(), sl.delta(), sl.temperature()), sl.label(), withInterval(sl.slope()),
                    sl.trainSizes().size(), sl.nonConverged() > 0 ? " (" + sl.nonConverged() + " not converged)" : ""));
        }
        for (StudySummary.Fit f : s.fits()) {
            String corr = f.law().n() == 2 && Double.isFinite(f.corr().value())
                    ? (f.corr().value() > 0 ? "+1" : "-1") + " (two networks: +-1 by construction)" : withInterval(f.corr());
            out.add(String.format(Locale.ROOT, "fit %s: eps_t = %s * R_f^%s, corr %s over %d networks%s",
                    StudySummary.condition(f.dataset(), f.cut(), f.delta(), f.temperature()), fmt(f.law().a()), withInterval(f.b()), corr, f.law().n(),
                    f.nonConverged() > 0 ? " (" + f.nonConverged() + " not converged)" : ""));
        }
        out.add(String.format(Locale.ROOT, "not converged: %d of %d cells%s", s.nonConverged(), s.cells(),
                s.nonConverged() > 0 ? " (kept in every mean and fit, drawn hollow in the figures)" : ""));
        if (s.bestTest()) {
            out.add("checkpoint: best test accuracy for some cells (the test set chose the model: their test error is optimistic)");
        }
        out.add(String.format(Locale.ROOT, "[lo, hi]: %.0f%% percentile bootstrap over seeds, %d resamples, seed %d; none with one seed",
                100 * Bootstrap.LEVEL, Bootstrap.RESAMPLES, Bootstrap.SEED));
        return out;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
    }

    /** "0.361 [0.301, 0.420]", or the value alone without an interval. */
    private static String withInterval(Estimate e) {
        return e.hasInterval() ? fmt(e.value()) + " [" + fmt(e.lo()) + ", " + fmt(e.hi()) + "]" : fmt(e.value());
    }

    static String csv(StudySummary s) {
        boolean aug = s.augmented();
        StringBuilder b = new StringBuilder("dataset,arch," + (aug ? "augment," : "")
                + "train_size,cut,delta,temperature,seeds,R_init,R_trained,D_init,D_trained,G_init,G_trained,test_error,parameters,depth,"
                + "non_converged,R_init_lo,R_init_hi,R_trained_lo,R_trained_hi,D_init_lo,D_init_hi,D_trained_lo,D_trained_hi,"
                + "G_init_lo,G_init_hi,G_trained_lo,G_trained_hi,test_error_lo,test_error_hi,selected\n");
        for (StudySummary.Entry e : s.entries()) {
            // an augment label holds commas when diffeo options are set: quoted (RFC 4180)
            String arch = aug ? e.arch() + "," + csvField(e.augment()) : e.arch();
            List<String> f = new ArrayList<>(List.of(e.dataset(), arch, e.trainSize() > 0 ? Integer.toString(e.trainSize()) : "",
                    Integer.toString(e.cut()), num(e.delta()), num(e.temperature()), Integer.toString(e.seeds()), num(e.rInit()), num(e.rTrained()),
                    num(e.dInit()), num(e.dTrained()), num(e.gInit()), num(e.gTrained()), num(e.testError()), e.parameters() >= 0 ? Long.toString(e.parameters()) : "",
                    e.depth() >= 0 ? Integer.toString(e.depth()) : "", Integer.toString(e.nonConverged())));
            StudySummary.DGR i = e.init(), t = e.trained();
            for (Estimate x : new Estimate[]{i == null ? null : i.r(), t.r(), i == null ? null : i.d(), t.d(), i == null ? null : i.g(), t.g(),
                e.error()}) {
                f.add(x == null || !x.hasInterval() ? "" : num(x.lo()));
                f.add(x == null || !x.hasInterval() ? "" : num(x.hi()));
            }
            f.add(e.selected() == null ? "" : csvField(e.selected()));
            b.append(String.join(",", f)).append('\n');
        }
        return b.toString();
    }

    /** A field quoted when it holds a comma or a quote (RFC 4180). */
    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
