package org.diffeo4j.stripe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The label function and the two perturbations of Eq. 6. */
class StripeModelTest {
    @Test
    void defaultStripeIsOneSlabOfProbabilityOneHalf() {
        StripeLabel l = StripeLabel.balanced();
        assertEquals(-1.0, l.of(-2.0));
        assertEquals(-1.0, l.of(-0.31));
        assertEquals(1.0, l.of(-0.29));
        assertEquals(1.0, l.of(0.0));
        assertEquals(1.0, l.of(1.18));
        assertEquals(-1.0, l.of(1.19));
        assertEquals(-1.0, l.of(5.0));
        // P(+1) = integral of the standard normal density over the slab, by composite Simpson on 20000
        // intervals (error ~ h^4 ~ 1e-17 here): the classes are balanced to far better than any test set resolves
        int n = 20_000;
        double a = StripeLabel.LOWER, b = StripeLabel.UPPER, h = (b - a) / n, s = 0;
        for (int k = 0; k <= n; k++) {
            double x = a + k * h, w = k == 0 || k == n ? 1 : k % 2 == 1 ? 4 : 2;
            s += w * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
        }
        assertEquals(0.5, s * h / 3, 1e-12);
    }

    @Test
    void moreBoundariesAlternate() {
        StripeLabel l = new StripeLabel(new double[]{-1, 0, 2});
        assertEquals(-1.0, l.of(-1.5));
        assertEquals(1.0, l.of(-0.5));
        assertEquals(-1.0, l.of(1.0));
        assertEquals(1.0, l.of(3.0));
        double[] pts = {-0.5, 9, 9, 1.0, 9, 9};
        double[] y = l.of(pts, 2, 3);
        assertEquals(1.0, y[0]);
        assertEquals(-1.0, y[1]);
    }

    @Test
    void badBoundariesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StripeLabel(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new StripeLabel(new double[]{1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new StripeLabel(new double[]{0, Double.NaN}));
    }

    @Test
    void nuHasNoParallelComponentAndBothNoisesHaveTheNormExactly() {
        int d = 30;
        double norm = 1.7;
        double[] nu = new double[d], eta = new double[d];
        double eta0 = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            InvariantNoise.nu(5, i, d, norm, nu);
            InvariantNoise.eta(5, i, d, norm, eta);
            assertEquals(0.0, nu[0], "nu must not move x_par, point " + i);
            assertEquals(norm, Math.sqrt(dot(nu, nu)), 1e-14 * norm, "|nu|, point " + i);
            assertEquals(norm, Math.sqrt(dot(eta, eta)), 1e-14 * norm, "|eta|, point " + i);
            eta0 += eta[0] * eta[0] / n;
        }
        // eta is isotropic: E eta_0^2 = S^2/d = 0.0963; over 2000 draws the standard error is
        // S^2/d * sqrt(2 (d-1)/(d+2)) / sqrt(2000) ~ 0.0029 (Beta(1/2, (d-1)/2) moments); 5 sigma
        assertEquals(norm * norm / d, eta0, 0.015);
    }

    @Test
    void aNetBlindToThePerpendicularDirectionsHasRZero() {
        int d = 12, h = 16;
        ReluNet net = ReluNet.initial(3, d, h);
        for (int k = 1; k < d; k++) {
            for (int n = 0; n < h; n++) {
                net.wT[k * h + n] = 0; // reads x_par only, by construction
            }
        }
        double[] x = StripeStreams.points(1, StripeStreams.TEST, 3000, d);
        RelativeStability r = RelativeStability.measure(net, x, 3000, d, 1.0, 1);
        assertTrue(r.isotropic() > 1e-4, "the net must vary along x_par: " + r);
        assertEquals(0.0, r.invariant());
        assertEquals(0.0, r.r());
    }

    @Test
    void aRotationInvariantFunctionHasROne() {
        // f = |x|^2: f(x + n) - f(x) = 2 x.n + S^2 with x.n ~ N(0, S^2) for any n of norm S, so the
        // expected numerator and denominator are both 4 S^2 + S^4, and R_f = 1 in expectation.
        // Each mean has relative standard error sqrt(Var (2 xi + 1)^2) / 5 / sqrt(N) = sqrt(48) / 5 / sqrt(N)
        // at S = 1; for the ratio of the two (independent noises, shared x) at most sqrt(2) times that:
        // 0.0044 at N = 200000. Tolerance 0.025 is 5.7 sigma.
        int d = 30, n = 200_000;
        double[] x = StripeStreams.points(2, StripeStreams.TEST, n, d);
        ScalarFunction square = (p, off) -> {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += p[off + k] * p[off + k];
            }
            return s;
        };
        assertEquals(1.0, RelativeStability.measure(square, x, n, d, 1.0, 2).r(), 0.025);
    }

    @Test
    void testErrorCountsSignMismatches() {
        double[] x = {1, 0, -1, 0, 2, 0, -2, 0};
        double[] y = {1, 1, -1, -1};
        assertEquals(0.5, RelativeStability.testError((p, off) -> p[off], x, y, 4, 2));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
