package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.model.Activations;

/** The two statistics of the protocol (DESIGN.md section 1), in double precision. */
public final class Statistics {
    private Statistics() {
    }

    /**
     * The fewest probes for which {@link #deno} is not 0 by construction: the median of the P^2
     * ordered pairs is rank (P^2 - 1)/2, which falls on one of the P zeros of the diagonal for
     * P <= 2, so the median needs 3; the mean needs one pair, so 2.
     */
    public static int minimumProbes(Average average) {
        return average == Average.MEDIAN ? 3 : 2;
    }

    /**
     * The normalisation: the average over all P^2 ordered pairs (i, j), diagonal included, of
     * {@code ||f(x_i) - f(x_j)||^2}. The matrix is symmetric with a zero diagonal, so only the
     * P(P-1)/2 pairs i < j are stored: in the sorted multiset the P zeros come first and every
     * off-diagonal value twice, hence rank m >= P of the multiset is rank (m - P)/2 of the pairs.
     * The median is rank (P^2 - 1)/2 (lower middle for even P^2, torch.median).
     */
    public static double deno(Activations clean, Average average) {
        int p = clean.count(), k = clean.units();
        long pairs = (long) p * (p - 1) / 2;
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new BadInputException("probes must be at most 65536 for the pairwise normalisation, found " + p);
        }
        double[] d = new double[(int) Math.max(1, pairs)];
        float[] a = clean.data();
        int at = 0;
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) {
                double s = 0;
                for (int u = 0; u < k; u++) {
                    double diff = (double) a[i * k + u] - a[j * k + u];
                    s += diff * diff;
                }
                d[at++] = s;
            }
        }
        if (average == Average.MEAN) {
            double s = 0;
            for (int q = 0; q < at; q++) {
                s += d[q];
            }
            return 2 * s / ((double) p * p);
        }
        long m = ((long) p * p - 1) / 2;
        return m < p ? 0 : Select.kth(d, at, (int) ((m - p) / 2));
    }

    /**
     * {@code sum over units k of average_i (after_ik - before_ik)^2}: the numerator of D_f (after =
     * f(tau x)) or G_f (after = f(x + eta)).
     */
    public static double sensitivity(Activations before, Activations after, Average average) {
        if (before.count() != after.count() || before.units() != after.units()) {
            throw new IllegalArgumentException("activations to compare must have the same shape, found "
                    + before.count() + "x" + before.units() + " and " + after.count() + "x" + after.units());
        }
        int p = before.count(), k = before.units();
        double[] col = new double[p];
        double sum = 0;
        for (int u = 0; u < k; u++) {
            for (int i = 0; i < p; i++) {
                double diff = (double) after.get(i, u) - before.get(i, u);
                col[i] = diff * diff;
            }
            sum += average.of(col, p);
        }
        return sum;
    }
}
