package org.diffeo4j.verify;

/**
 * Every tolerance of the project, in one place (DESIGN.md section 1): float32 work against a
 * float64 reference. A value passes when {@code |found - expected| <= atol + rtol * |expected|}.
 */
public final class Tolerances {
    /** Displacement fields, pixels. */
    public static final double FIELD_ATOL = 1e-5;
    /** Remapped images, pixel values (images in [0, 1]). */
    public static final double IMAGE_ATOL = 1e-5;
    /** D_f, G_f, R_f and the normalisation, relative. */
    public static final double STATISTIC_RTOL = 1e-4;
    /** Closed-form scalars (typical displacement, temperature range), relative. */
    public static final double SCALAR_RTOL = 1e-9;
    /** Twin backends against the Java reference, same seed. */
    public static final double TWIN_ATOL = 1e-5;

    private Tolerances() {
    }

    /** The comparison rule. */
    public static boolean close(double expected, double found, double atol, double rtol) {
        return Math.abs(found - expected) <= atol + rtol * Math.abs(expected);
    }
}
