package org.diffeo4j.field;

/**
 * The diffeomorphism check of Appendix B: the map {@code phi(p) = p - tau(p)} (pixel units) is
 * locally invertible where {@code det(I - grad tau) > 0}. The partial derivatives are synthesised
 * analytically from the same coefficients with derivative tables (no finite differences), and
 * evaluated on the pixel grid.
 */
public final class Jacobian {
    private Jacobian() {
    }

    /**
     * Result for one sample.
     *
     * @param minDeterminant smallest det(I - grad tau) over the grid
     * @param foldedFraction fraction of grid pixels with det <= 0
     */
    public record Check(double minDeterminant, double foldedFraction) {
        /** True when every pixel has a positive determinant. */
        public boolean isDiffeomorphism() {
            return foldedFraction == 0;
        }
    }

    /** Checks sample {@code s} of {@code coeffs} at temperature T on a height x width grid. */
    public static Check check(CoefficientBatch coeffs, int s, double temperature, int height, int width) {
        float[] det = new float[height * width];
        determinant(coeffs, s, temperature, height, width, det);
        double min = Double.POSITIVE_INFINITY;
        int folded = 0;
        for (float d : det) {
            min = Math.min(min, d);
            if (d <= 0) {
                folded++;
            }
        }
        return new Check(min, folded / (double) det.length);
    }

    /**
     * Writes det(I - grad tau) of sample {@code s} for every pixel into {@code det} (row-major).
     *
     * @param det height*width floats; overwritten
     */
    public static void determinant(CoefficientBatch coeffs, int s, double temperature, int height, int width, float[] det) {
        int c = coeffs.cut(), per = c * c, plane = height * width;
        Temperatures.requireTemperature(temperature);
        SineBasis sx = SineBasis.sine(width, c), sy = SineBasis.sine(height, c);
        SineBasis gx = SineBasis.derivative(width, c), gy = SineBasis.derivative(height, c);
        double root = Math.sqrt(temperature);
        FieldSynthesis.Scratch a = new FieldSynthesis.Scratch(c, height, width);
        float[] uX = new float[plane], uY = new float[plane], vX = new float[plane], vY = new float[plane];
        FieldSynthesis.synthesize(c, coeffs.zu(), s * per, width * root, gx, sy, a, uX, 0);
        FieldSynthesis.synthesize(c, coeffs.zu(), s * per, width * root, sx, gy, a, uY, 0);
        FieldSynthesis.synthesize(c, coeffs.zv(), s * per, height * root, gx, sy, a, vX, 0);
        FieldSynthesis.synthesize(c, coeffs.zv(), s * per, height * root, sx, gy, a, vY, 0);
        for (int p = 0; p < plane; p++) {
            det[p] = (1 - uX[p]) * (1 - vY[p]) - uY[p] * vX[p];
        }
    }
}
