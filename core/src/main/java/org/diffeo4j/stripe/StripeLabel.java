package org.diffeo4j.stripe;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;

/**
 * The label of the stripe model: it depends on x_par = x_0 only and alternates between +1 and -1 on
 * the slabs between parallel planes x_par = b_1 < b_2 < ... (Paccolat et al. 2021, Section 5). A
 * point with an odd number of boundaries below its x_par is +1, otherwise -1, so the slab
 * (b_1, b_2) is +1 and the half-space below b_1 is -1.
 *
 * @param boundaries strictly increasing, finite, at least one; not modified (copied)
 */
public record StripeLabel(double[] boundaries) {
    /** Lower plane of the default stripe. */
    public static final double LOWER = -0.3;
    /**
     * Upper plane of the default stripe: the root of Phi(b) - Phi(-0.3) = 1/2 (Phi the standard
     * normal CDF, solved by bisection on erf to double precision), so that under x_par ~ N(0, 1) both
     * labels have probability exactly 1/2 (checked by quadrature in the tests).
     */
    public static final double UPPER = 1.1854923327232725;

    /**
     * The default: one +1 slab (-0.3, 1.18549...) of probability 1/2 in a -1 background, the stripe
     * of Paccolat et al. Off-centre so that the label is not even in x_par, with classes balanced so
     * that a constant guess scores test error 1/2.
     */
    public static StripeLabel balanced() {
        return new StripeLabel(new double[]{LOWER, UPPER});
    }

    public StripeLabel {
        if (boundaries == null || boundaries.length == 0) {
            throw new BadInputException("boundaries must be a non-empty list, found none");
        }
        boundaries = boundaries.clone();
        for (int k = 0; k < boundaries.length; k++) {
            if (!Double.isFinite(boundaries[k]) || k > 0 && !(boundaries[k] > boundaries[k - 1])) {
                throw new BadInputException("boundaries must be finite and strictly increasing, found "
                        + Arrays.toString(boundaries));
            }
        }
    }

    @Override
    public double[] boundaries() {
        return boundaries.clone();
    }

    /** The label, +1 or -1, of a point whose parallel coordinate is {@code xPar}. */
    public double of(double xPar) {
        int below = 0;
        for (double b : boundaries) {
            if (xPar > b) {
                below++;
            }
        }
        return (below & 1) == 1 ? 1.0 : -1.0;
    }

    /** Labels of row-major points {@code [count][dim]}; x_par is coordinate 0. */
    public double[] of(double[] points, int count, int dim) {
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            y[i] = of(points[i * dim]);
        }
        return y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StripeLabel s && Arrays.equals(boundaries, s.boundaries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "StripeLabel" + Arrays.toString(boundaries);
    }
}
