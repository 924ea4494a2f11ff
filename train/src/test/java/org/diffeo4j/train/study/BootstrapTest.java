package org.diffeo4j.train.study;

import org.diffeo4j.train.study.Bootstrap.Estimate;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The percentile bootstrap on samples whose bootstrap distribution is known exactly or in the limit. */
class BootstrapTest {
    private static Estimate geometricMean(double... v) {
        return Bootstrap.estimate(v.length, p -> Bootstrap.logMean(v, p));
    }

    private static Estimate mean(double... v) {
        return Bootstrap.estimate(v.length, p -> Bootstrap.mean(v, p));
    }

    @Test
    void twoSeedsSpanTheirTwoValues() {
        // resampled geometric means are 2 (1/4), 4 (1/2), 8 (1/4): the 2.5% and 97.5% percentiles are the ends
        Estimate e = geometricMean(2, 8);
        assertEquals(4.0, e.value(), 1e-12);
        assertEquals(2.0, e.lo(), 1e-12);
        assertEquals(8.0, e.hi(), 1e-12);
    }

    @Test
    void theIntervalIsTheSameOnEveryCall() {
        double[] v = {0.31, 0.45, 0.29, 0.6, 0.38};
        Estimate a = geometricMean(v), b = geometricMean(v);
        assertEquals(a, b);
        assertTrue(a.lo() < a.value() && a.value() < a.hi(), a.toString());
    }

    @Test
    void theEndsAreTheExactBootstrapDistributionsPercentiles() {
        // five seeds: 5^5 equally likely resamples, enumerated; the Monte Carlo ends must sit at the
        // 2.5% and 97.5% of that exact distribution, within 3.4 standard errors of a quantile of 2000 draws
        double[] v = {1.0, 1.7, 2.2, 4.1, 9.5};
        double[] exact = new double[3125];
        for (int k = 0; k < exact.length; k++) {
            double s = 0;
            for (int i = 0, c = k; i < 5; i++, c /= 5) {
                s += v[c % 5];
            }
            exact[k] = s / 5;
        }
        Arrays.sort(exact);
        Estimate e = mean(v);
        assertEquals(3.7, e.value(), 1e-12);
        double se = Math.sqrt(0.025 * 0.975 / Bootstrap.RESAMPLES);
        assertEquals(0.025, cdf(exact, e.lo()), 3.4 * se, "lower end " + e.lo());
        assertEquals(0.975, cdf(exact, e.hi()), 3.4 * se, "upper end " + e.hi());
    }

    private static double cdf(double[] sorted, double x) {
        int n = 0;
        for (double s : sorted) {
            n += s <= x ? 1 : 0;
        }
        return n / (double) sorted.length;
    }

    @Test
    void manySeedsGiveTheNormalIntervalOfTheMean() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 200;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 3 + 0.5 * gaussian(rng);
        }
        double m = Arrays.stream(v).average().orElseThrow(), sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / n);
        Estimate e = mean(v);
        double half = 1.96 * sd / Math.sqrt(n);
        assertEquals(m - half, e.lo(), 0.1 * half);
        assertEquals(m + half, e.hi(), 0.1 * half);
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void oneSeedHasNoInterval() {
        Estimate e = geometricMean(3.0);
        assertEquals(3.0, e.value(), 1e-12);
        assertFalse(e.hasInterval());
        // a group with one seed beside groups with several: nothing to resample there, no interval
        Estimate[] f = Bootstrap.estimate(new int[]{3, 1}, p -> new double[]{p[0].length + p[1].length});
        assertFalse(f[0].hasInterval());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Bootstrap.estimate(new int[]{2, 0}, p -> new double[]{0}));
        assertEquals("bootstrap group sizes must be >= 1, found 0 in group 1", x.getMessage());
    }

    @Test
    void percentilesInterpolateBetweenOrderStatisticsAndSkipNonFiniteValues() {
        assertEquals(2.5, Bootstrap.quantile(new double[]{1, 2, 3, 4}, 0.5), 1e-12);
        assertEquals(1.075, Bootstrap.quantile(new double[]{1, 2, 3, 4}, 0.025), 1e-12);
        double[] v = new double[41];
        for (int i = 0; i < 41; i++) {
            v[i] = i;
        }
        assertArrayEquals(new double[]{1, 39}, Bootstrap.percentiles(v), 1e-12);
        v[0] = Double.NaN;
        assertEquals(1.975, Bootstrap.percentiles(v)[0], 1e-12);
        Arrays.fill(v, 0, 21, Double.NaN);
        assertTrue(Double.isNaN(Bootstrap.percentiles(v)[0]), "more than half not finite: no interval");
    }
}
