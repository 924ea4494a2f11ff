package org.diffeo4j.stripe;

import org.diffeo4j.validate.BadInputException;

/**
 * Eq. 6 of Petrini et al. for the stripe model:
 * {@code R_f = < |f(x_par, x_perp + nu) - f(x)|^2 >_{x,nu} / < |f(x + eta) - f(x)|^2 >_{x,eta}},
 * one nu and one eta ({@link InvariantNoise}) per test point, means over the test points. For small
 * noise R_f -> d/(d-1) <|grad_perp f|^2> / <|grad f|^2>: 1 for a net that does not prefer any
 * direction, 0 for one that ignores x_perp.
 *
 * @param invariant the numerator, mean squared change under nu
 * @param isotropic the denominator, mean squared change under eta
 */
public record RelativeStability(double invariant, double isotropic) {
    /** R_f, the ratio. */
    public double r() {
        return invariant / isotropic;
    }

    /**
     * Measures {@code f} on {@code count} row-major points {@code x [count][dim]}.
     *
     * @param x not modified
     */
    public static RelativeStability measure(ScalarFunction f, double[] x, int count, int dim, double noiseNorm, long seed) {
        if (!(noiseNorm > 0) || !Double.isFinite(noiseNorm)) {
            throw new BadInputException("noise norm must be a finite number > 0, found " + noiseNorm);
        }
        double[] p = new double[dim], noise = new double[dim];
        double dInv = 0, dIso = 0;
        for (int i = 0; i < count; i++) {
            double f0 = f.value(x, i * dim);
            InvariantNoise.nu(seed, i, dim, noiseNorm, noise);
            dInv += squaredChange(f, x, i * dim, noise, p, f0, dim);
            InvariantNoise.eta(seed, i, dim, noiseNorm, noise);
            dIso += squaredChange(f, x, i * dim, noise, p, f0, dim);
        }
        return new RelativeStability(dInv / count, dIso / count);
    }

    private static double squaredChange(ScalarFunction f, double[] x, int off, double[] noise, double[] p, double f0, int dim) {
        for (int k = 0; k < dim; k++) {
            p[k] = x[off + k] + noise[k];
        }
        double diff = f.value(p, 0) - f0;
        return diff * diff;
    }

    /** The fraction of points whose label y_i the sign of f gets wrong (f = 0 counts as wrong). */
    public static double testError(ScalarFunction f, double[] x, double[] y, int count, int dim) {
        int wrong = 0;
        for (int i = 0; i < count; i++) {
            if (!(y[i] * f.value(x, i * dim) > 0)) {
                wrong++;
            }
        }
        return wrong / (double) count;
    }
}
