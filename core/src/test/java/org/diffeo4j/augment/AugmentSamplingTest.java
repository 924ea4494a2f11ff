package org.diffeo4j.augment;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.diffeo4j.field.Temperatures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The (c, T) draws against an independent implementation of transform.py's formulas written here:
 * commons-math's Beta sampler (Cheng's algorithm, its own Mersenne-type generator) with
 * alpha = s - s/(r+1), beta = s/(r+1), c = floor(B (c_max + 1 - c_min) + c_min) and
 * T = T_min + B (T_max - T_min). Two-sample Kolmogorov–Smirnov tests on c and T (KS is conservative
 * on the discrete c, so c is also checked by a chi-square test against its exact probabilities).
 */
class AugmentSamplingTest {
    private static final int DRAWS = 20_000;
    private static final int N = 28;
    /** A seeded run either passes or fails forever; 1e-3 keeps the chance of a wrong verdict small. */
    private static final double P_MIN = 1e-3;

    @ParameterizedTest(name = "s_T={0} r_T={1} s_c={2} r_c={3}")
    @CsvSource({"1, 1, 1, 1", "5, 0.5, 20, 3", "0.3, 2, 2, 0.2", "50, 1, 0.7, 1"})
    void drawsFollowTheAuthorsBetaSampling(double sT, double rT, double sC, double rC) {
        AugmentSpec spec = AugmentSpec.parse("diffeo:s_T=" + sT + ",r_T=" + rT + ",s_c=" + sC + ",r_c=" + rC + ",c_min=3,c_max=15");
        DiffeoAugment aug = new DiffeoAugment(spec, 20261201L);
        double[] cuts = new double[DRAWS], temps = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            int c = aug.cut(2, i, N);
            cuts[i] = c;
            temps[i] = aug.temperature(2, i, c, N);
        }
        // the independent reference
        double aT = sT - sT / (rT + 1), bT = sT / (rT + 1), aC = sC - sC / (rC + 1), bC = sC / (rC + 1);
        BetaDistribution betaT = new BetaDistribution(new Well19937c(7), aT, bT);
        BetaDistribution betaC = new BetaDistribution(new Well19937c(11), aC, bC);
        double[] refCuts = new double[DRAWS], refTemps = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            int c = (int) (betaC.sample() * (15 + 1 - 3) + 3);
            refCuts[i] = c;
            double lo = 1 / (Math.PI * N * N * Math.log(c)), hi = 4 / (Math.pow(Math.PI, 3) * c * c * Math.log(c));
            refTemps[i] = betaT.sample() * (hi - lo) + lo;
        }
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double pT = ks.kolmogorovSmirnovTest(temps, refTemps), pC = ks.kolmogorovSmirnovTest(cuts, refCuts);
        assertTrue(pT > P_MIN, "KS on T: p = " + pT);
        assertTrue(pC > P_MIN, "KS on c: p = " + pC);

        // c against its exact distribution P(c = k) = I((k+1-c_min)/m) - I((k-c_min)/m), m = c_max+1-c_min
        BetaDistribution exact = new BetaDistribution(aC, bC);
        double[] expected = new double[13];
        long[] observed = new long[13];
        for (int k = 0; k < 13; k++) {
            expected[k] = DRAWS * (exact.cumulativeProbability((k + 1) / 13.0) - exact.cumulativeProbability(k / 13.0));
        }
        for (double c : cuts) {
            observed[(int) c - 3]++;
        }
        double pChi = new ChiSquareTest().chiSquareTest(merge(expected, observed)[0], toLong(merge(expected, observed)[1]));
        assertTrue(pChi > P_MIN, "chi-square on c: p = " + pChi);
    }

    @ParameterizedTest(name = "alpha={0} beta={1}")
    @CsvSource({"0.5, 0.5", "0.05, 2", "3, 0.7", "40, 60", "1, 1"})
    void betaSamplerMatchesTheExactCdf(double a, double b) {
        double[] x = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            x[i] = BetaSampler.beta(a, b, 99, AugmentAddress.of(0, i, 0), AugmentAddress.STREAM_TEMPERATURE);
            assertTrue(x[i] >= 0 && x[i] <= 1, "draw " + i + " outside [0, 1]: " + x[i]);
        }
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new BetaDistribution(a, b), x);
        assertTrue(p > P_MIN, "one-sample KS against Beta(" + a + ", " + b + "): p = " + p);
    }

    @Test
    void sameAddressSameDrawOtherEpochOtherDraw() {
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.defaults(), 5);
        int c = aug.cut(4, 123, N);
        assertEquals(c, new DiffeoAugment(AugmentSpec.defaults(), 5).cut(4, 123, N));
        assertEquals(aug.temperature(4, 123, c, N), aug.temperature(4, 123, c, N));
        assertNotEquals(aug.temperature(4, 123, c, N), aug.temperature(5, 123, c, N));
        int limit = AugmentSpec.naturalCutLimit(N);
        assertEquals(17, limit, "2n/pi = 17.8 for n = 28");
        assertTrue(Temperatures.tMin(limit, N) <= Temperatures.tMax(limit));
        assertTrue(Temperatures.tMin(limit + 1, N) > Temperatures.tMax(limit + 1));
    }

    @Test
    void addressesNeverMeetTheMeasurementsAndRoundTrip() {
        long a = AugmentAddress.of(70_000, 4_000_000_000L, 127);
        assertTrue(a < 0, "bit 63 set: the measurement's sample addresses are non-negative");
        assertEquals(70_000, AugmentAddress.epoch(a));
        assertEquals(4_000_000_000L, AugmentAddress.image(a));
        assertEquals(127, AugmentAddress.attempt(a));
        assertEquals(AugmentAddress.of(3, 10, 0) + 5, AugmentAddress.of(3, 15, 0), "images are consecutive addresses");
        assertThrows(IllegalArgumentException.class, () -> AugmentAddress.of(1 << 24, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> AugmentAddress.of(0, 1L << 32, 0));
    }

    @Test
    void optionStringsParseAndBadOnesAreRefusedWithTheirValue() {
        AugmentSpec s = AugmentSpec.parse("diffeo:s_T=2,r_T=0.5,c_min=3,c_max=12,diffeomorphic=true");
        assertEquals(s, AugmentSpec.parse(s.format()));
        assertEquals(2.0 - 2.0 / 1.5, s.alphaT(), 1e-15);
        assertEquals(AugmentSpec.defaults(), AugmentSpec.parse("diffeo"));
        assertEquals("s_T must be a finite number > 0, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse("diffeo:s_T=0")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse("diffeo:q=1")).getMessage()
                .endsWith("found 'q'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse("elastic")).getMessage()
                .endsWith("found 'elastic'"));
        assertEquals("c_max must be <= 17 for images of width 28 (T_min > T_max above), found c_min = 2, c_max = 30",
                assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse("diffeo:c_max=30").cutMaxFor(28)).getMessage());
        assertEquals(17, AugmentSpec.defaults().cutMaxFor(28));
        assertEquals(100, AugmentSpec.defaults().cutMaxFor(224));
    }

    /** Merges chi-square cells with expectation below 5 into their neighbour (the test's validity rule). */
    private static double[][] merge(double[] expected, long[] observed) {
        java.util.List<double[]> cells = new java.util.ArrayList<>();
        double e = 0, o = 0;
        for (int k = 0; k < expected.length; k++) {
            e += expected[k];
            o += observed[k];
            if (e >= 5) {
                cells.add(new double[]{e, o});
                e = 0;
                o = 0;
            }
        }
        if (e > 0 || o > 0) {
            double[] last = cells.get(cells.size() - 1);
            last[0] += e;
            last[1] += o;
        }
        double[][] out = new double[2][cells.size()];
        for (int k = 0; k < cells.size(); k++) {
            out[0][k] = cells.get(k)[0];
            out[1][k] = cells.get(k)[1];
        }
        return out;
    }

    private static long[] toLong(double[] x) {
        long[] l = new long[x.length];
        for (int k = 0; k < x.length; k++) {
            l[k] = Math.round(x[k]);
        }
        return l;
    }
}
