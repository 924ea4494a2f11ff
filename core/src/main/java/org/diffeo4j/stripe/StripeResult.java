package org.diffeo4j.stripe;

import org.diffeo4j.stability.Summary;

import java.util.ArrayList;
import java.util.List;

/**
 * A sweep summarised per P: R_f and R_f at initialisation log-averaged over the seeds (the spread is
 * multiplicative), test error and alignment averaged, and the fit of ln R_f against ln P.
 */
public record StripeResult(StripeSpec spec, List<Row> rows, LogLogFit fit, List<StripeCell> cells) {
    /**
     * One training-set size.
     *
     * @param testError mean over seeds
     * @param alignment mean over seeds
     * @param epochs mean gradient steps over seeds
     * @param fitted how many seeds fitted their training set
     */
    public record Row(int trainSize, Summary r, Summary rInit, double testError, double alignment, double epochs, int fitted) {
    }

    /** Summarises the cells of a sweep (every (P, seed) of the spec must be present). */
    public static StripeResult of(StripeSpec spec, List<StripeCell> cells) {
        int[] sizes = spec.trainSizes();
        List<Row> rows = new ArrayList<>();
        double[] logmean = new double[sizes.length];
        for (int a = 0; a < sizes.length; a++) {
            int p = sizes[a], k = spec.seeds();
            double[] r = new double[k], r0 = new double[k];
            double err = 0, align = 0, epochs = 0;
            int fitted = 0;
            for (int s = 0; s < k; s++) {
                StripeCell c = find(cells, p, s);
                r[s] = c.r();
                r0[s] = c.rInit();
                err += c.testError() / k;
                align += c.alignment() / k;
                epochs += c.epochs() / (double) k;
                fitted += c.fitted() ? 1 : 0;
            }
            Row row = new Row(p, Summary.of(r), Summary.of(r0), err, align, epochs, fitted);
            rows.add(row);
            logmean[a] = row.r().logmean();
        }
        return new StripeResult(spec, List.copyOf(rows), LogLogFit.of(sizes, logmean), List.copyOf(cells));
    }

    private static StripeCell find(List<StripeCell> cells, int p, int seed) {
        for (StripeCell c : cells) {
            if (c.trainSize() == p && c.seed() == seed) {
                return c;
            }
        }
        throw new IllegalArgumentException("cells must include (P, seed) = (" + p + ", " + seed + "), found none");
    }
}
