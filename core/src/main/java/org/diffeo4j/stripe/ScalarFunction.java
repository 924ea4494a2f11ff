package org.diffeo4j.stripe;

/** A real function of a point of R^d, the object whose stability Eq. 6 measures. */
@FunctionalInterface
public interface ScalarFunction {
    /**
     * The value at the point stored in {@code x[offset .. offset + d)}.
     *
     * @param x not modified
     */
    double value(double[] x, int offset);
}
