package org.diffeo4j.field;

/**
 * Separable synthesis of one scalar field (Eq. 2): with {@code C_ij = w_ij z_ij},
 * {@code out[y][x] = scale * sum_ij C_ij bx_i(x) by_j(y)} is computed as two small products,
 * {@code A[i][y] = sum_j C_ij by_j(y)} (c*c*h multiply-adds) then
 * {@code out[y][x] = scale * sum_i A[i][y] bx_i(x)} (c*h*w, a contiguous AXPY per (i, y)).
 *
 * <p>For tau_u in pixels, {@code scale = width * sqrt(T)}; for tau_v, {@code height * sqrt(T)}
 * (DESIGN.md section 1: {@code dx = n tau_u}). With derivative tables in place of sine tables the
 * same routine gives the partial derivatives the Jacobian needs.
 */
public final class FieldSynthesis {
    private static final java.util.concurrent.ConcurrentHashMap<Integer, double[]> WEIGHTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private FieldSynthesis() {
    }

    /**
     * Synthesises one field.
     *
     * @param z c*c coefficients at {@code z[zOff ..]}, grid layout; not modified
     * @param bx table along x (width pixels), by table along y (height pixels); not modified
     * @param a scratch of at least c*height floats; overwritten
     * @param out receives height*width values at {@code out[outOff ..]}; overwritten
     */
    public static void synthesize(int cut, float[] z, int zOff, double scale, SineBasis bx, SineBasis by,
                                  float[] a, float[] out, int outOff) {
        int w = bx.n(), h = by.n();
        double[] weights = weights(cut);
        float[] bxv = bx.values(), byv = by.values();
        for (int i = 1; i <= cut; i++) {
            int base = (i - 1) * cut;
            for (int y = 0; y < h; y++) {
                double acc = 0;
                for (int j = 1; j <= cut; j++) {
                    double wij = weights[base + j - 1];
                    if (wij != 0) {
                        acc += wij * z[zOff + base + j - 1] * byv[(j - 1) * h + y];
                    }
                }
                a[(i - 1) * h + y] = (float) (scale * acc);
            }
        }
        for (int y = 0; y < h; y++) {
            int row = outOff + y * w;
            java.util.Arrays.fill(out, row, row + w, 0f);
            for (int i = 0; i < cut; i++) {
                float ai = a[i * h + y];
                if (ai == 0f) {
                    continue;
                }
                int bi = i * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] += ai * bxv[bi + x];
                }
            }
        }
    }

    /** Synthesises the (dx, dy) pair of every sample of {@code coeffs}, single-threaded. */
    public static FieldBatch synthesize(CoefficientBatch coeffs, double temperature, int height, int width) {
        FieldBatch f = FieldBatch.zeros(coeffs.count(), height, width);
        synthesizeRange(coeffs, temperature, f, 0, coeffs.count());
        return f;
    }

    /** Synthesises samples {@code [from, to)} of {@code coeffs} into {@code fields}; for parallel callers. */
    public static void synthesizeRange(CoefficientBatch coeffs, double temperature, FieldBatch fields, int from, int to) {
        int c = coeffs.cut(), h = fields.height(), w = fields.width(), per = c * c;
        Temperatures.requireTemperature(temperature);
        SineBasis bx = SineBasis.sine(w, c), by = SineBasis.sine(h, c);
        float[] a = new float[c * h];
        double root = Math.sqrt(temperature);
        for (int s = from; s < to; s++) {
            synthesize(c, coeffs.zu(), s * per, w * root, bx, by, a, fields.dx(), s * h * w);
            synthesize(c, coeffs.zv(), s * per, h * root, bx, by, a, fields.dy(), s * h * w);
        }
    }

    /** Mode weights of the c x c grid (cached, shared, not to be modified). */
    static double[] weights(int cut) {
        return WEIGHTS.computeIfAbsent(cut, Modes::weights);
    }
}
