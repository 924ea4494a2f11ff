package org.diffeo4j.stripe;

import org.diffeo4j.random.Normals;

/**
 * The two perturbations of Eq. 6 for test point i: nu, isotropic in the d - 1 invariant directions
 * x_perp (component 0, x_par, exactly zero), and eta, isotropic in all d directions; both scaled to
 * the same norm exactly (|nu| = |eta| = S), so that R_f compares directions, not sizes. nu reads the
 * normals of (seed, i, {@link StripeStreams#NU}), eta those of (seed, i, {@link StripeStreams#ETA}).
 */
public final class InvariantNoise {
    private InvariantNoise() {
    }

    /**
     * Writes nu of test point {@code i} into {@code out[0 .. dim)}.
     *
     * @param out modified
     */
    public static void nu(long seed, long i, int dim, double norm, double[] out) {
        Normals.fill(seed, i, StripeStreams.NU, 0, out, 0, dim);
        out[0] = 0; // no component along x_par: the label cannot change
        scale(out, dim, norm);
    }

    /**
     * Writes eta of test point {@code i} into {@code out[0 .. dim)}.
     *
     * @param out modified
     */
    public static void eta(long seed, long i, int dim, double norm, double[] out) {
        Normals.fill(seed, i, StripeStreams.ETA, 0, out, 0, dim);
        scale(out, dim, norm);
    }

    private static void scale(double[] v, int dim, double norm) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
            s += v[k] * v[k];
        }
        double f = norm / Math.sqrt(s);
        for (int k = 0; k < dim; k++) {
            v[k] *= f;
        }
    }
}
