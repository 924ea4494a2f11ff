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
 *
 * <p>Precision (docs/precision.md). The float path is the operation order of the shared header
 * ({@code synthesize_field} in native/src/main/cpp/cpu_kernels.h, {@code first_products} and
 * {@code second_products} in kernel_common.cuh): {@code A[i][y] = (float) (scale * sum_j (w_ij z_ij)
 * by_j(y))} summed in double, j ascending, over the float sine table widened to double; then
 * {@code out[y][x] = sum_i A[i][y] bx_i(x)} in float, i ascending, every product rounded before it is
 * added (Java never fuses a*b+c; the native build passes -ffp-contract=off). So the native generic
 * path gives the same bits (native GenericPathExactTest). The float second product is accurate to
 * about 2.5e-7 of the field's largest value, within the 1e-5 pixel tolerance of the reference vectors
 * only while fields stay below ~20 pixels (measured before the double path: 1.4e-5 at n = 64, c = 30,
 * T = 0.1, max |dx| = 66). So a field whose rms size exceeds {@link #FLOAT_LIMIT_PIXELS}
 * ({@link #isLarge}) is synthesised in double throughout; typical diffeos (delta of a few pixels)
 * take the vectorised float path.
 */
public final class FieldSynthesis {
    private static final java.util.concurrent.ConcurrentHashMap<Integer, double[]> WEIGHTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final java.util.concurrent.ConcurrentHashMap<Integer, int[]> LAST =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * rms field size (pixels) above which synthesis runs in double precision: the project's one
     * definition of the large-field rule, with {@link #rmsSize}. The C++/CUDA side reads
     * {@code DIFFEO_FLOAT_LIMIT_PIXELS} and {@code large_field} of diffeo_math.cuh, which a native
     * test checks against these two (LargeFieldRuleTest).
     */
    public static final double FLOAT_LIMIT_PIXELS = 4.0;

    private FieldSynthesis() {
    }

    /**
     * Per-thread work space: the first product's double accumulator over y, its rows {@code a[i][y]}
     * (2c of them, tau_u then tau_v) and one output plane per field as rows {@code [y][x]}. Every
     * inner loop indexes all its arrays from 0 with the same expression: C2 (JDK 17) vectorises such
     * loops but not {@code out[o + x] += a * b[bo + x]}, where it cannot rule out an overlap
     * (measured: 0.08 vs 0.35 ns per multiply-add at n = 224).
     */
    public static final class Scratch {
        final double[] acc;
        final float[][] a;
        final float[][] rowsX, rowsY;
        private double[][] aExact, rowsExact;

        public Scratch(int cut, int height, int width) {
            acc = new double[height];
            a = new float[2 * cut][height];
            rowsX = new float[height][width];
            rowsY = new float[height][width];
        }

        double[][] aExact() {
            if (aExact == null) {
                aExact = new double[a.length][a.length == 0 ? 0 : a[0].length];
            }
            return aExact;
        }

        double[][] rowsExact() {
            if (rowsExact == null) {
                rowsExact = new double[rowsX.length][rowsX.length == 0 ? 0 : rowsX[0].length];
            }
            return rowsExact;
        }

        boolean fits(int cut, int height, int width) {
            return a.length >= 2 * cut && rowsX.length == height && (height == 0 || rowsX[0].length == width)
                    && (a.length == 0 || a[0].length == height);
        }
    }

    /**
     * Synthesises one field into {@code out[outOff ..]} (height*width, row-major).
     *
     * @param z c*c coefficients at {@code z[zOff ..]}, grid layout; not modified
     * @param bx table along x (width pixels), by table along y (height pixels); not modified
     * @param scratch work space for (cut, height, width); overwritten
     */
    public static void synthesize(int cut, float[] z, int zOff, double scale, SineBasis bx, SineBasis by,
                                  Scratch scratch, float[] out, int outOff) {
        check(scratch, cut, by.n(), bx.n());
        if (isLarge(cut, z, zOff, scale)) {
            synthesizeExact(cut, z, zOff, scale, bx, by, scratch, out, outOff);
            return;
        }
        firstProduct(cut, z, zOff, scale, by, scratch.acc, scratch.a, 0);
        secondProduct(cut, scratch.a, 0, bx, scratch.rowsX);
        copyRows(scratch.rowsX, out, outOff);
    }

    /**
     * Synthesises tau_u (into dx, scaled by {@code scaleX}) and tau_v (into dy) of one sample.
     *
     * @param scratch work space for (cut, height, width); overwritten
     */
    public static void synthesizePair(int cut, float[] zu, float[] zv, int zOff, double scaleX, double scaleY,
                                      SineBasis bx, SineBasis by, Scratch scratch, float[] dx, float[] dy, int outOff) {
        check(scratch, cut, by.n(), bx.n());
        if (isLarge(cut, zu, zOff, scaleX) || isLarge(cut, zv, zOff, scaleY)) {
            // decided per field, as the native backend does; each path gives the same bits alone or paired
            synthesize(cut, zu, zOff, scaleX, bx, by, scratch, dx, outOff);
            synthesize(cut, zv, zOff, scaleY, bx, by, scratch, dy, outOff);
            return;
        }
        firstProduct(cut, zu, zOff, scaleX, by, scratch.acc, scratch.a, 0);
        firstProduct(cut, zv, zOff, scaleY, by, scratch.acc, scratch.a, cut);
        secondProduct(cut, scratch.a, 0, bx, scratch.rowsX);
        secondProduct(cut, scratch.a, cut, bx, scratch.rowsY);
        copyRows(scratch.rowsX, dx, outOff);
        copyRows(scratch.rowsY, dy, outOff);
    }

    /**
     * A[i][y] = (float) (scale * sum_j (w_ij z_ij) by_j(y)) into rows {@code a[aRow + i]}: the sum
     * in double, j ascending over the disc, as AXPYs over y into {@code acc} (h doubles, overwritten).
     * {@code w_ij z_ij} is one double product (a float z widens exactly), then times the widened
     * table value: the order of the header's first product.
     */
    static void firstProduct(int cut, float[] z, int zOff, double scale, SineBasis by, double[] acc, float[][] a, int aRow) {
        double[] weights = weights(cut);
        int[] last = lastJ(cut);
        double[][] byRows = by.wide();
        int h = by.n();
        for (int i = 0; i < cut; i++) {
            java.util.Arrays.fill(acc, 0, h, 0);
            for (int j = 0; j < last[i]; j++) {
                double cz = weights[i * cut + j] * z[zOff + i * cut + j];
                double[] bj = byRows[j];
                for (int y = 0; y < h; y++) {
                    acc[y] += cz * bj[y];
                }
            }
            float[] ai = a[aRow + i];
            for (int y = 0; y < h; y++) {
                ai[y] = (float) (scale * acc[y]);
            }
        }
    }

    /**
     * out[y][x] = sum_i A[i][y] bx_i(x) in float, i ascending, four modes per pass over a row. The
     * pass is written {@code r + p0 + p1 + p2 + p3}, which Java evaluates left to right, so each
     * product is added to the running sum in turn: the bits of one mode per pass (and of the header's
     * {@code rows_times_basis}), with a quarter of the loads and stores of the row. The header skips
     * modes with A = 0; adding their +-0 products instead changes no bit, since the sum starts at +0
     * and never becomes -0 (x + (+-0) = x, +0 + -0 = +0) and the table is finite.
     */
    static void secondProduct(int cut, float[][] a, int aRow, SineBasis bx, float[][] out) {
        float[][] b = bx.rows();
        int w = bx.n();
        for (int y = 0; y < out.length; y++) {
            float[] r = out[y];
            java.util.Arrays.fill(r, 0, w, 0f);
            int i = 0;
            for (; i + 3 < cut; i += 4) {
                float a0 = a[aRow + i][y], a1 = a[aRow + i + 1][y], a2 = a[aRow + i + 2][y], a3 = a[aRow + i + 3][y];
                float[] b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
                for (int x = 0; x < w; x++) {
                    r[x] = r[x] + a0 * b0[x] + a1 * b1[x] + a2 * b2[x] + a3 * b3[x];
                }
            }
            for (; i < cut; i++) {
                float a0 = a[aRow + i][y];
                float[] b0 = b[i];
                for (int x = 0; x < w; x++) {
                    r[x] = r[x] + a0 * b0[x];
                }
            }
        }
    }

    /**
     * The large-field rule: true when the rms size of the field exceeds {@link #FLOAT_LIMIT_PIXELS},
     * so it is synthesised in double ({@code large_field} of diffeo_math.cuh).
     */
    public static boolean isLarge(int cut, float[] z, int zOff, double scale) {
        return rmsSize(cut, z, zOff, scale) > FLOAT_LIMIT_PIXELS;
    }

    /**
     * rms over the domain of one field, in pixels: {@code |scale| sqrt(sum_k (w_k z_k)^2) / 2} (the
     * mean of sin^2 sin^2 over the grid is 1/4), the sum in double over k ascending
     * ({@code field_rms} and {@code mode_energy} of diffeo_math.cuh, same operations).
     */
    public static double rmsSize(int cut, float[] z, int zOff, double scale) {
        double[] weights = weights(cut);
        double sum = 0;
        for (int k = 0; k < cut * cut; k++) {
            double c = weights[k] * z[zOff + k];
            sum += c * c;
        }
        return Math.abs(scale) * Math.sqrt(sum) / 2;
    }

    /** The same two products in double precision, rounded to float once at the end. */
    static void synthesizeExact(int cut, float[] z, int zOff, double scale, SineBasis bx, SineBasis by,
                                Scratch scratch, float[] out, int outOff) {
        double[] weights = weights(cut);
        int[] last = lastJ(cut);
        double[][] a = scratch.aExact(), rows = scratch.rowsExact(), byRows = by.exact(), bxRows = bx.exact();
        int h = by.n(), w = bx.n();
        for (int i = 0; i < cut; i++) {
            double[] ai = a[i];
            java.util.Arrays.fill(ai, 0, h, 0);
            for (int j = 0; j < last[i]; j++) {
                double cij = scale * weights[i * cut + j] * z[zOff + i * cut + j];
                double[] bj = byRows[j];
                for (int y = 0; y < h; y++) {
                    ai[y] += cij * bj[y];
                }
            }
        }
        for (int y = 0; y < h; y++) {
            double[] r = rows[y];
            java.util.Arrays.fill(r, 0, w, 0);
            for (int i = 0; i < cut; i++) {
                double ai = a[i][y];
                double[] b = bxRows[i];
                for (int x = 0; x < w; x++) {
                    r[x] += ai * b[x];
                }
            }
            for (int x = 0; x < w; x++) {
                out[outOff + y * w + x] = (float) r[x];
            }
        }
    }

    private static void copyRows(float[][] rows, float[] out, int outOff) {
        for (int y = 0; y < rows.length; y++) {
            System.arraycopy(rows[y], 0, out, outOff + y * rows[y].length, rows[y].length);
        }
    }

    private static void check(Scratch s, int cut, int h, int w) {
        if (!s.fits(cut, h, w)) {
            throw new IllegalArgumentException("scratch must be made for cut " + cut + " and a " + h + "x" + w + " grid");
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
        Scratch scratch = new Scratch(c, h, w);
        double root = Math.sqrt(temperature);
        for (int s = from; s < to; s++) {
            synthesizePair(c, coeffs.zu(), coeffs.zv(), s * per, w * root, h * root, bx, by, scratch, fields.dx(), fields.dy(), s * h * w);
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
