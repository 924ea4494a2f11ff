package org.diffeo4j.stripe;

import org.diffeo4j.validate.BadInputException;

/**
 * The "alpha trick" of Geiger et al. (2020) used by Paccolat et al. (2021):
 * {@code g(x) = alpha (f(x) - f_0(x))} with f the trained {@link ReluNet} and f_0 the same net at
 * initialisation. g vanishes at initialisation, and a margin y g >= 1 needs f - f_0 = O(1/alpha):
 * for small alpha the weights must move far from their initial values, which is the
 * feature-learning regime (large alpha is the lazy, kernel regime).
 *
 * @param net the trained net; not modified
 * @param initial the net at initialisation; not modified
 * @param alpha > 0
 */
public record AlphaNet(ReluNet net, ReluNet initial, double alpha) implements ScalarFunction {
    public AlphaNet {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new BadInputException("alpha must be a finite number > 0, found " + alpha);
        }
        if (net.dim() != initial.dim() || net.width() != initial.width()) {
            throw new IllegalArgumentException("net and initial net must have the same shape, found " + net.dim() + "x"
                    + net.width() + " and " + initial.dim() + "x" + initial.width());
        }
    }

    @Override
    public double value(double[] x, int offset) {
        return alpha * (net.value(x, offset) - initial.value(x, offset));
    }
}
