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

    private static final java.util.concurrent.ConcurrentHashMap<Integer, int[]> LAST =
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
        float[] bxv = bx.values();
        firstProduct(cut, z, zOff, scale, by, a, 0);
        // Second product, four modes per pass over a row to cut loads and stores of out by four.
        for (int y = 0; y < h; y++) {
            int row = outOff + y * w;
            java.util.Arrays.fill(out, row, row + w, 0f);
            int i = 0;
            for (; i + 3 < cut; i += 4) {
                float a0 = a[i * h + y], a1 = a[(i + 1) * h + y], a2 = a[(i + 2) * h + y], a3 = a[(i + 3) * h + y];
                int b0 = i * w, b1 = b0 + w, b2 = b1 + w, b3 = b2 + w;
                for (int x = 0; x < w; x++) {
                    out[row + x] += a0 * bxv[b0 + x] + a1 * bxv[b1 + x] + a2 * bxv[b2 + x] + a3 * bxv[b3 + x];
                }
            }
            for (; i < cut; i++) {
                float ai = a[i * h + y];
                int b0 = i * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] += ai * bxv[b0 + x];
                }
            }
        }
    }

    /**
     * Synthesises tau_u and tau_v of one sample together: the same basis tables serve both, so one
     * pass over each output row updates dx and dy (rows of 28-32 floats are too short for the JIT's
     * vector loops; sharing the loads is what helps there).
     *
     * @param a scratch of at least 2*c*height floats; overwritten
     */
    public static void synthesizePair(int cut, float[] zu, float[] zv, int zOff, double scaleX, double scaleY,
                                      SineBasis bx, SineBasis by, float[] a, float[] dx, float[] dy, int outOff) {
        int w = bx.n(), h = by.n(), half = cut * h;
        firstProduct(cut, zu, zOff, scaleX, by, a, 0);
        firstProduct(cut, zv, zOff, scaleY, by, a, half);
        float[] bxv = bx.values();
        for (int y = 0; y < h; y++) {
            int row = outOff + y * w;
            java.util.Arrays.fill(dx, row, row + w, 0f);
            java.util.Arrays.fill(dy, row, row + w, 0f);
            int i = 0;
            for (; i + 1 < cut; i += 2) {
                float u0 = a[i * h + y], u1 = a[(i + 1) * h + y], v0 = a[half + i * h + y], v1 = a[half + (i + 1) * h + y];
                int b0 = i * w, b1 = b0 + w;
                for (int x = 0; x < w; x++) {
                    float s0 = bxv[b0 + x], s1 = bxv[b1 + x];
                    dx[row + x] += u0 * s0 + u1 * s1;
                    dy[row + x] += v0 * s0 + v1 * s1;
                }
            }
            for (; i < cut; i++) {
                float u0 = a[i * h + y], v0 = a[half + i * h + y];
                int b0 = i * w;
                for (int x = 0; x < w; x++) {
                    dx[row + x] += u0 * bxv[b0 + x];
                    dy[row + x] += v0 * bxv[b0 + x];
                }
            }
        }
    }

    /** A[i][y] = scale * sum_j w_ij z_ij by_j(y) into {@code a[aOff + i*h + y]}, as AXPYs over y. */
    static void firstProduct(int cut, float[] z, int zOff, double scale, SineBasis by, float[] a, int aOff) {
        int h = by.n();
        double[] weights = weights(cut);
        int[] last = lastJ(cut);
        float[] byv = by.values();
        for (int i = 0; i < cut; i++) {
            int ai = aOff + i * h;
            java.util.Arrays.fill(a, ai, ai + h, 0f);
            for (int j = 0; j < last[i]; j++) {
                float cij = (float) (scale * weights[i * cut + j] * z[zOff + i * cut + j]);
                int bj = j * h;
                for (int y = 0; y < h; y++) {
                    a[ai + y] += cij * byv[bj + y];
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
        float[] a = new float[2 * c * h];
        double root = Math.sqrt(temperature);
        for (int s = from; s < to; s++) {
            synthesizePair(c, coeffs.zu(), coeffs.zv(), s * per, w * root, h * root, bx, by, a, fields.dx(), fields.dy(), s * h * w);
        }
    }

    /** Per mode row i (0-based), how many j are in the disc: j < last[i] (the disc is convex in j). */
    static int[] lastJ(int cut) {
        return LAST.computeIfAbsent(cut, c -> {
            int[] l = new int[c];
            for (int i = 1; i <= c; i++) {
                while (l[i - 1] < c && Modes.contains(c, i, l[i - 1] + 1)) {
                    l[i - 1]++;
                }
            }
            return l;
        });
    }

    /** Mode weights of the c x c grid (cached, shared, not to be modified). */
    static double[] weights(int cut) {
        return WEIGHTS.computeIfAbsent(cut, Modes::weights);
    }
}
