package org.diffeo4j.train.study;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap over seeds (Efron and Tibshirani, An Introduction to the Bootstrap, 1993,
 * ch. 13): a statistic of one or more groups of seeds is recomputed on {@link #RESAMPLES} resamples,
 * each drawing every group's seeds again with replacement (as many as it has), and the 95% interval
 * is the 2.5th to 97.5th percentile of the recomputed values (linear interpolation between order
 * statistics). The draws come from a {@link SplittableRandom} seeded with {@link #SEED} afresh for
 * each statistic, so a summary is the same on every run and for every order of the cells.
 *
 * <p>The interval says how much the statistic moves when other seeds of the same grid are drawn: it
 * holds training and probe noise, not bias (a checkpoint chosen on the test set, a net that did not
 * converge). With one seed in some group there is nothing to resample there, and no interval.
 */
public final class Bootstrap {
    /** Resamples per statistic. */
    public static final int RESAMPLES = 2000;
    /** The resampling RNG's seed. */
    public static final long SEED = 2000;
    /** The interval's coverage. */
    public static final double LEVEL = 0.95;

    private Bootstrap() {
    }

    /**
     * A value and its bootstrap interval.
     *
     * @param lo NaN when there is no interval (a group with one seed)
     * @param hi NaN when there is no interval
     */
    public record Estimate(double value, double lo, double hi) {
        /** A value without an interval. */
        public static Estimate point(double value) {
            return new Estimate(value, Double.NaN, Double.NaN);
        }

        public boolean hasInterval() {
            return !Double.isNaN(lo) && !Double.isNaN(hi);
        }

        /** The same value without its interval. */
        public Estimate withoutInterval() {
            return point(value);
        }
    }

    /** Statistics of groups of seeds, computed from the seeds picked in each group. */
    @FunctionalInterface
    public interface Statistic {
        /**
         * @param picks per group, the indices of the seeds drawn (each in 0..size-1; the identity for
         *              the central value). Not modified.
         * @return the statistics, the same number on every call
         */
        double[] of(int[][] picks);
    }

    /**
     * The statistics on the seeds as they are, each with its percentile interval over resamples of
     * every group; no interval when some group has fewer than two seeds, or when fewer than half the
     * resamples give a finite value (a fit through points that coincide).
     *
     * @param sizes seeds per group, each >= 1. Not modified.
     */
    public static Estimate[] estimate(int[] sizes, Statistic statistic) {
        int[][] identity = new int[sizes.length][];
        boolean resamplable = sizes.length > 0;
        for (int g = 0; g < sizes.length; g++) {
            if (sizes[g] < 1) {
                throw new IllegalArgumentException("bootstrap group sizes must be >= 1, found " + sizes[g] + " in group " + g);
            }
            identity[g] = new int[sizes[g]];
            for (int i = 0; i < sizes[g]; i++) {
                identity[g][i] = i;
            }
            resamplable &= sizes[g] >= 2;
        }
        double[] central = statistic.of(identity);
        Estimate[] out = new Estimate[central.length];
        if (!resamplable) {
            for (int j = 0; j < central.length; j++) {
                out[j] = Estimate.point(central[j]);
            }
            return out;
        }
        double[][] replicates = new double[central.length][RESAMPLES];
        SplittableRandom rng = new SplittableRandom(SEED);
        int[][] picks = new int[sizes.length][];
        for (int g = 0; g < sizes.length; g++) {
            picks[g] = new int[sizes[g]];
        }
        for (int b = 0; b < RESAMPLES; b++) {
            for (int g = 0; g < sizes.length; g++) {
                for (int i = 0; i < sizes[g]; i++) {
                    picks[g][i] = rng.nextInt(sizes[g]);
                }
            }
            double[] v = statistic.of(picks);
            for (int j = 0; j < central.length; j++) {
                replicates[j][b] = v[j];
            }
        }
        for (int j = 0; j < central.length; j++) {
            double[] lohi = percentiles(replicates[j]);
            out[j] = new Estimate(central[j], lohi[0], lohi[1]);
        }
        return out;
    }

    /** One statistic of one group of seeds ({@link #estimate(int[], Statistic)}). */
    public static Estimate estimate(int size, java.util.function.Function<int[], Double> statistic) {
        return estimate(new int[]{size}, p -> new double[]{statistic.apply(p[0])})[0];
    }

    /** The (1 - LEVEL)/2 and (1 + LEVEL)/2 percentiles of the finite values; NaN when fewer than half are finite. */
    static double[] percentiles(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0 || 2 * v.length < values.length) {
            return new double[]{Double.NaN, Double.NaN};
        }
        return new double[]{quantile(v, (1 - LEVEL) / 2), quantile(v, (1 + LEVEL) / 2)};
    }

    /** The p-quantile of sorted {@code v} interpolated between order statistics at p (n - 1) (Hyndman and Fan's type 7, R's default). */
    static double quantile(double[] v, double p) {
        double h = p * (v.length - 1);
        int i = (int) Math.floor(h);
        return i + 1 < v.length ? v[i] + (h - i) * (v[i + 1] - v[i]) : v[v.length - 1];
    }

    /**
     * exp(mean of ln v[k]) over the picked k: the log-average (geometric mean) the paper averages R_f
     * with; summed as DoubleStream.average sums, so the central value is the summary's of before.
     */
    static double logMean(double[] v, int[] picks) {
        return Math.exp(Arrays.stream(picks).mapToDouble(k -> Math.log(v[k])).average().orElse(Double.NaN));
    }

    /** The mean of v[k] over the picked k. */
    static double mean(double[] v, int[] picks) {
        return Arrays.stream(picks).mapToDouble(k -> v[k]).average().orElse(Double.NaN);
    }
}
