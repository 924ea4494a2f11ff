package org.diffeo4j.stripe;

import java.util.ArrayList;
import java.util.List;

/**
 * Least-squares line through (ln P, ln R_f) over the points with R_f < 1 (where relative stability
 * has built up; the plateau R_f ~ 1 of unlearnt nets would flatten the slope), with the standard
 * error of the slope, {@code sqrt(sum residual^2 / (n - 2) / sum (ln P - mean)^2)} (NaN for n < 3).
 *
 * @param slope d ln R / d ln P; NaN with fewer than 2 points
 * @param slopeErr its standard error
 * @param intercept ln R at ln P = 0
 * @param pMin smallest P used (0 if none)
 * @param pMax largest P used (0 if none)
 * @param points how many P were used
 */
public record LogLogFit(double slope, double slopeErr, double intercept, int pMin, int pMax, int points) {
    /** Fits {@code r[k]} against {@code p[k]} (not modified) over the k with 0 < r[k] < 1. */
    public static LogLogFit of(int[] p, double[] r) {
        List<double[]> use = new ArrayList<>();
        int lo = 0, hi = 0;
        for (int k = 0; k < p.length; k++) {
            if (r[k] > 0 && r[k] < 1) {
                use.add(new double[]{Math.log(p[k]), Math.log(r[k])});
                lo = lo == 0 ? p[k] : Math.min(lo, p[k]);
                hi = Math.max(hi, p[k]);
            }
        }
        int n = use.size();
        if (n < 2) {
            return new LogLogFit(Double.NaN, Double.NaN, Double.NaN, lo, hi, n);
        }
        double mx = 0, my = 0;
        for (double[] q : use) {
            mx += q[0] / n;
            my += q[1] / n;
        }
        double sxx = 0, sxy = 0;
        for (double[] q : use) {
            sxx += (q[0] - mx) * (q[0] - mx);
            sxy += (q[0] - mx) * (q[1] - my);
        }
        double slope = sxy / sxx, intercept = my - slope * mx, ss = 0;
        for (double[] q : use) {
            double res = q[1] - intercept - slope * q[0];
            ss += res * res;
        }
        double err = n > 2 ? Math.sqrt(ss / (n - 2) / sxx) : Double.NaN;
        return new LogLogFit(slope, err, intercept, lo, hi, n);
    }
}
