package org.diffeo4j.augment;

import org.diffeo4j.random.Normals;
import org.diffeo4j.random.Philox4x32;

/**
 * Beta draws from addressed uniforms: {@code B = X / (X + Y)} with {@code X ~ Gamma(alpha)},
 * {@code Y ~ Gamma(beta)} (the construction torch's {@code Beta.sample} uses too), each Gamma by
 * Marsaglia and Tsang (ACM TOMS 26(3), 2000), with {@code Gamma(a) = Gamma(a + 1) U^(1/a)} for
 * {@code a < 1}. The uniforms are read in order from the Philox stream (seed, address, stream),
 * element k in block k/4, lane k%4 (docs/randomness.md), so a draw is a pure function of its address
 * however many rejections it takes. Gammas are kept in logs so that tiny alpha, beta (s near 0,
 * where both Gammas underflow) still give a Beta in [0, 1].
 */
final class BetaSampler {
    /** A rejection loop this long has probability far below 2^-1000; reaching it is a bug. */
    private static final int MAX_UNIFORMS = 1 << 20;

    private final int k0, k1, s0, s1, stream;
    private final int[] words = new int[4];
    private int next;

    private BetaSampler(long seed, long address, int stream) {
        this.k0 = (int) seed;
        this.k1 = (int) (seed >>> 32);
        this.s0 = (int) address;
        this.s1 = (int) (address >>> 32);
        this.stream = stream;
    }

    /** One Beta(alpha, beta) variate from the uniforms at (seed, address, stream). */
    static double beta(double alpha, double beta, long seed, long address, int stream) {
        BetaSampler u = new BetaSampler(seed, address, stream);
        double logX = u.logGamma(alpha), logY = u.logGamma(beta);
        // X / (X + Y) = 1 / (1 + exp(log Y - log X)), finite for any pair of logs
        return 1.0 / (1.0 + Math.exp(logY - logX));
    }

    private double uniform() {
        if (next >= MAX_UNIFORMS) {
            throw new IllegalStateException("Beta draw used more than " + MAX_UNIFORMS + " uniforms");
        }
        int lane = next & 3;
        if (lane == 0) {
            Philox4x32.block(next >>> 2, stream, s0, s1, k0, k1, words);
        }
        next++;
        return Normals.uniform(words[lane]);
    }

    private double normal() {
        double r = Math.sqrt(-2.0 * Math.log(uniform()));
        return r * Math.cos(2.0 * Math.PI * uniform());
    }

    /** log of a Gamma(a, 1) variate. */
    private double logGamma(double a) {
        if (a < 1) {
            double logG = logGamma(a + 1);
            return logG + Math.log(uniform()) / a;
        }
        double d = a - 1.0 / 3.0, c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = normal(), v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = uniform(), x2 = x * x;
            // squeeze, then the exact test (Marsaglia & Tsang, Eq. 3 of the paper)
            if (u < 1.0 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
                return Math.log(d) + Math.log(v);
            }
        }
    }
}
