package org.diffeo4j.cli;

import org.diffeo4j.report.StrictJson;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.stability.Summary;
import org.diffeo4j.stripe.LogLogFit;
import org.diffeo4j.stripe.StripeCell;
import org.diffeo4j.stripe.StripeResult;
import org.diffeo4j.stripe.StripeSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table, JSON and CSV of {@code diffeo stripe} (layout: docs/stripe.md). */
final class StripeReport {

    private StripeReport() {
    }

    static String table(StripeResult r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7s %11s %8s %9s %9s %9s %8s %6s%n",
                "P", "R_f", "std lnR", "R_f init", "test err", "alignment", "epochs", "fitted"));
        for (StripeResult.Row row : r.rows()) {
            b.append(String.format(Locale.ROOT, "%7d %11.4e %8.3f %9.4f %9.4f %9.4f %8.0f %3d/%-2d%n", row.trainSize(),
                    row.r().logmean(), row.r().stdLog(), row.rInit().logmean(), row.testError(), row.alignment(), row.epochs(),
                    row.fitted(), r.spec().seeds()));
        }
        LogLogFit f = r.fit();
        b.append(f.points() >= 2
                ? String.format(Locale.ROOT, "fit: R_f ~ P^%.3f +/- %s over P in [%d, %d] (%d sizes with R_f < 1)%n", f.slope(),
                        slopeErr(f, "%.3f"), f.pMin(), f.pMax(), f.points())
                : String.format(Locale.ROOT, "fit: none (%d size(s) with R_f < 1, 2 needed)%n", f.points()));
        return b.toString();
    }

    /** The run's provenance: the model's settings and the run's threads and cells reused (the model is synthetic: no inputs). */
    static Provenance provenance(Provenance.Builder b, StripeSpec s, int threads, int reusedCells) {
        for (int seed = 0; seed < s.seeds(); seed++) {
            b.seed(seed);
        }
        b.threads(threads);
        b.detail("dim", s.dim()).detail("train_sizes", s.trainSizes()).detail("width", s.width()).detail("noise_norm", s.noiseNorm())
                .detail("test", s.testSize()).detail("stripe_boundaries", s.label().boundaries())
                .detail("net", "f(x) = (1/H) sum_h b_h relu(w_h.x/sqrt(d) + c_h), all N(0,1) at init; g = alpha (f - f_0)")
                .detail("alpha", s.training().alpha())
                .detail("loss", "hinge max(0, 1 - y g) / alpha^2, full-batch gradient descent, lr scaled by H")
                .detail("learning_rate", s.training().learningRate()).detail("max_epochs", s.training().maxEpochs())
                .detail("stopping", "every training margin y g(x) >= 1 (hinge gradient exactly zero)")
                .detail("random", "Philox4x32-10 normals, key = seed, streams 16 train, 17 test, 18 init, 19 nu, 20 eta (docs/randomness.md)")
                .detail("reused_cells", reusedCells);
        return b.finish();
    }

    static String json(StripeResult r, Provenance p) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (StripeResult.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_size", row.trainSize());
            m.put("R", summary(row.r()));
            m.put("R_init", summary(row.rInit()));
            m.put("test_error", row.testError());
            m.put("alignment", StrictJson.optional(row.alignment())); // undefined when no hidden unit is active
            m.put("epochs_mean", row.epochs());
            m.put("fitted_seeds", row.fitted());
            results.add(m);
        }
        Map<String, Object> fit = new LinkedHashMap<>();
        // Optional: no slope below 2 sizes, no standard error below 3 (docs/stripe.md); null, never NaN.
        fit.put("slope", StrictJson.optional(r.fit().slope()));
        fit.put("slope_err", StrictJson.optional(r.fit().slopeErr()));
        fit.put("p_min", r.fit().pMin());
        fit.put("p_max", r.fit().pMax());
        fit.put("points", r.fit().points());
        fit.put("intercept", StrictJson.optional(r.fit().intercept()));
        fit.put("range", "sizes whose log-averaged R_f < 1; least squares of ln R_f on ln P");
        List<Map<String, Object>> cells = new ArrayList<>();
        for (StripeCell c : r.cells()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_size", c.trainSize());
            m.put("seed", c.seed());
            m.put("R", c.r());
            m.put("R_init", c.rInit());
            m.put("test_error", c.testError());
            m.put("alignment", StrictJson.optional(c.alignment()));
            m.put("epochs", c.epochs());
            m.put("fitted", c.fitted());
            m.put("seconds", c.seconds());
            cells.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "stripe");
        m.put("results", results);
        m.put("fit", fit);
        m.put("provenance", p.json());
        m.put("cells", cells);
        return StrictJson.pretty(m, "stripe's JSON");
    }

    /** The slope's standard error as {@code format}, or "n/a" where it is undefined (fewer than 3 sizes). */
    static String slopeErr(LogLogFit f, String format) {
        return Double.isFinite(f.slopeErr()) ? String.format(Locale.ROOT, format, f.slopeErr()) : "n/a";
    }

    private static Map<String, Object> summary(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logmean", s.logmean());
        m.put("std_log", s.stdLog());
        m.put("values", s.values());
        return m;
    }

    static String csv(StripeResult r) {
        StringBuilder b = new StringBuilder("train_size,seed,R,R_init,test_error,alignment,epochs,fitted,seconds\n");
        for (StripeCell c : r.cells()) {
            b.append(c.trainSize()).append(',').append(c.seed()).append(',').append(c.r()).append(',').append(c.rInit()).append(',')
                    .append(c.testError()).append(',').append(c.alignment()).append(',').append(c.epochs()).append(',')
                    .append(c.fitted()).append(',').append(c.seconds()).append('\n');
        }
        return b.toString();
    }
}
