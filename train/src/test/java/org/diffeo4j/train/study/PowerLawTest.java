package org.diffeo4j.train.study;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fit eps = a R^b recovers a and b from synthetic points; its correlation is the Pearson coefficient of the logs. */
class PowerLawTest {
    @Test
    void exactPointsGiveTheLawAndCorrelationOne() {
        double a = 0.03, b = 0.8;
        double[] r = {0.1, 0.3, 1, 2.5, 7}, eps = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            eps[i] = a * Math.pow(r[i], b);
        }
        PowerLaw f = PowerLaw.fit(r, eps);
        assertEquals(a, f.a(), 1e-12);
        assertEquals(b, f.b(), 1e-12);
        assertEquals(1.0, f.corr(), 1e-12);
        assertEquals(5, f.n());
    }

    @Test
    void noisyPointsRecoverTheLawWithinTheirNoise() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 400;
        double a = 2.0, b = -1.5;
        double[] r = new double[n], eps = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.exp(rng.nextDouble(-2, 2));
            eps[i] = a * Math.pow(r[i], b) * Math.exp(0.1 * (rng.nextDouble() - 0.5));
        }
        PowerLaw f = PowerLaw.fit(r, eps);
        assertEquals(b, f.b(), 0.01);
        assertEquals(a, f.a(), 0.02);
        assertTrue(f.corr() < -0.99, "corr " + f.corr());
    }

    @Test
    void unusablePointsAreLeftOutAndTooFewGiveNaN() {
        PowerLaw f = PowerLaw.fit(new double[]{1, 2, 0, Double.NaN}, new double[]{1, 4, 3, 1});
        assertEquals(2, f.n());
        assertEquals(2.0, f.b(), 1e-12);
        assertTrue(Double.isNaN(PowerLaw.fit(new double[]{1}, new double[]{1}).b()));
    }
}
