package org.diffeo4j.interp;

/**
 * The pure-Java remap of one sample: {@code out[c][y][x] = in_c(x - dx[y][x], y - dy[y][x])}, the
 * sample point clamped to [0, w-1] x [0, h-1]. Weights are computed once per pixel and reused for
 * every channel. This is the readable reference every other backend is checked against.
 */
public final class Remap {
    /** Width of the reference's Gaussian kernel, in pixels. */
    public static final double SIGMA = 0.4715;
    /**
     * The Gaussian window spans pixels floor(s)-2 .. floor(s)+3 on each axis. Every pixel left out
     * is at least 3 pixels away, weight exp(-9 / (2 sigma^2)) = 1.6e-9 of a kernel whose in-window
     * sum is >= 1, so the truncation error is below 1e-8 times the largest pixel value: the dense
     * sum of the reference to well within 1e-6, borders included (out-of-image pixels are in
     * neither sum).
     */
    public static final int WINDOW_LOW = 2;
    public static final int WINDOW_HIGH = 3;
    private static final int TAPS = WINDOW_LOW + WINDOW_HIGH + 1;
    private static final double A = 1.0 / (2 * SIGMA * SIGMA);
    /** The recurrence's step ratio e^(-2a). */
    private static final double Q = Math.exp(-2 * A);

    private Remap() {
    }

    /**
     * Remaps one sample of {@code channels} planes.
     *
     * @param in input planes at {@code in[inOff ..]}, channels*h*w; not modified
     * @param dx displacement along x at {@code dx[fOff ..]}, h*w; not modified
     * @param dy displacement along y at {@code dy[fOff ..]}, h*w; not modified
     * @param out output planes at {@code out[outOff ..]}; overwritten; must not alias {@code in}
     */
    public static void sample(Interpolation interp, float[] in, int inOff, int channels, int h, int w,
                              float[] dx, float[] dy, int fOff, float[] out, int outOff) {
        switch (interp) {
            case BILINEAR -> bilinear(in, inOff, channels, h, w, dx, dy, fOff, out, outOff);
            case GAUSSIAN -> gaussian(in, inOff, channels, h, w, dx, dy, fOff, out, outOff);
            case NEAREST -> nearest(in, inOff, channels, h, w, dx, dy, fOff, out, outOff);
        }
    }

    /** Bilinear: the reference's floor/ceil neighbours of the clamped point. */
    public static void bilinear(float[] in, int inOff, int channels, int h, int w,
                                float[] dx, float[] dy, int fOff, float[] out, int outOff) {
        bilinear(in, inOff, channels, h, w, dx, dy, fOff, out, outOff, new BilinearScratch(h * w));
    }

    /** Per-pixel neighbour index, neighbour steps and fractions: computed once, used by every channel. */
    public static final class BilinearScratch {
        final int[] index, stepX, stepY;
        final float[] fracX, fracY;

        public BilinearScratch(int plane) {
            index = new int[plane];
            stepX = new int[plane];
            stepY = new int[plane];
            fracX = new float[plane];
            fracY = new float[plane];
        }
    }

    /**
     * Bilinear with caller-owned scratch. First pass: for each output pixel the top-left neighbour
     * and the steps to the others; ceil(s) is floor(s) + 1 unless s is the last pixel, where its
     * weight is 0 anyway, so the step is 0 there. Second pass, per channel: a tight gather loop.
     *
     * @param scratch for at least h*w pixels; overwritten
     */
    public static void bilinear(float[] in, int inOff, int channels, int h, int w,
                                float[] dx, float[] dy, int fOff, float[] out, int outOff, BilinearScratch scratch) {
        int plane = h * w;
        int[] index = scratch.index, stepX = scratch.stepX, stepY = scratch.stepY;
        float[] fracX = scratch.fracX, fracY = scratch.fracY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float sx = clamp(x - dx[fOff + p], w - 1);
                float sy = clamp(y - dy[fOff + p], h - 1);
                int x0 = (int) sx, y0 = (int) sy; // floor, as sx, sy >= 0
                index[p] = y0 * w + x0;
                stepX[p] = x0 < w - 1 ? 1 : 0;
                stepY[p] = y0 < h - 1 ? w : 0;
                fracX[p] = sx - x0;
                fracY[p] = sy - y0;
            }
        }
        for (int c = 0; c < channels; c++) {
            int b = inOff + c * plane, o = outOff + c * plane;
            for (int p = 0; p < plane; p++) {
                int i = b + index[p], sx = stepX[p], sy = stepY[p];
                float fx = fracX[p];
                float a00 = in[i], a01 = in[i + sx], a10 = in[i + sy], a11 = in[i + sy + sx];
                float top = a00 + fx * (a01 - a00);
                float bottom = a10 + fx * (a11 - a10);
                out[o + p] = top + fracY[p] * (bottom - top);
            }
        }
    }

    /** Nearest: the clamped point rounded half-to-even, as {@code torch.round}. */
    public static void nearest(float[] in, int inOff, int channels, int h, int w,
                               float[] dx, float[] dy, int fOff, float[] out, int outOff) {
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int sx = (int) Math.rint(clamp(x - dx[fOff + p], w - 1));
                int sy = (int) Math.rint(clamp(y - dy[fOff + p], h - 1));
                int q = sy * w + sx;
                for (int c = 0; c < channels; c++) {
                    out[outOff + c * plane + p] = in[inOff + c * plane + q];
                }
            }
        }
    }

    /**
     * Gaussian: {@code sum_p w_p in[p] / sum_p w_p}, {@code w_p = exp(-|p - s|^2 / (2 sigma^2))},
     * over the window of {@link #WINDOW_LOW}/{@link #WINDOW_HIGH} clipped to the image. The kernel is
     * separable, so the weights are a product of per-axis weights ({@link #axisWeights}). Everything
     * after the float sample point is double (weights, row sums, the window sum, the normalisation),
     * rounded to float once: {@code gaussian_pixel} of diffeo_math.cuh, operation for operation.
     */
    public static void gaussian(float[] in, int inOff, int channels, int h, int w,
                                float[] dx, float[] dy, int fOff, float[] out, int outOff) {
        int plane = h * w;
        double[] wx = new double[TAPS], wy = new double[TAPS];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double sx = clamp(x - dx[fOff + p], w - 1);
                double sy = clamp(y - dy[fOff + p], h - 1);
                int x0 = Math.max((int) sx - WINDOW_LOW, 0), x1 = Math.min((int) sx + WINDOW_HIGH, w - 1);
                int y0 = Math.max((int) sy - WINDOW_LOW, 0), y1 = Math.min((int) sy + WINDOW_HIGH, h - 1);
                double norm = 1.0 / (axisWeights(x0, x1, sx, wx) * axisWeights(y0, y1, sy, wy));
                boolean fullRow = x1 - x0 == TAPS - 1, full = fullRow && y1 - y0 == TAPS - 1;
                for (int c = 0; c < channels; c++) {
                    int r = inOff + c * plane + y0 * w + x0;
                    double acc;
                    if (full) { // the same additions as the loop below, written out
                        acc = 0;
                        acc += wy[0] * fullRowSum(wx, in, r);
                        acc += wy[1] * fullRowSum(wx, in, r + w);
                        acc += wy[2] * fullRowSum(wx, in, r + 2 * w);
                        acc += wy[3] * fullRowSum(wx, in, r + 3 * w);
                        acc += wy[4] * fullRowSum(wx, in, r + 4 * w);
                        acc += wy[5] * fullRowSum(wx, in, r + 5 * w);
                    } else {
                        acc = 0;
                        for (int k = 0; k <= y1 - y0; k++, r += w) {
                            acc += wy[k] * (fullRow ? fullRowSum(wx, in, r) : rowSum(wx, in, r, x1 - x0));
                        }
                    }
                    out[outOff + c * plane + p] = (float) (acc * norm);
                }
            }
        }
    }

    /** sum_k weight[k] in[r + k] over a clipped row of {@code last + 1} taps, k ascending, from 0. */
    private static double rowSum(double[] weight, float[] in, int r, int last) {
        double row = 0;
        for (int k = 0; k <= last; k++) {
            row += weight[k] * in[r + k];
        }
        return row;
    }

    /**
     * {@link #rowSum} of a whole row of 6 taps, written out: the same additions in the same order
     * (from 0, k ascending), without the control of loops of variable trip count, which took a
     * quarter of the remap's time (28 x 28, one channel, best of 600 batches: 42 us per image with
     * the loops, 31 with the whole 6 x 6 window written out; the float weights before were 28).
     */
    private static double fullRowSum(double[] weight, float[] in, int r) {
        double row = 0;
        row += weight[0] * in[r];
        row += weight[1] * in[r + 1];
        row += weight[2] * in[r + 2];
        row += weight[3] * in[r + 3];
        row += weight[4] * in[r + 4];
        row += weight[5] * in[r + 5];
        return row;
    }

    /**
     * Fills {@code weight[k] = exp(-a (p0 + k - s)^2)} for p0..p1, a = 1/(2 sigma^2), and returns
     * their sum. Two exponentials per axis and the recurrence {@code w_(k+1) = w_k r_k},
     * {@code r_(k+1) = r_k e^(-2a)} with {@code r_0 = exp(-a (2 d + 1))}, d = p0 - s
     * ({@code gaussian_axis_weights} of diffeo_math.cuh).
     */
    static double axisWeights(int p0, int p1, double s, double[] weight) {
        double d = p0 - s;
        double wk = Math.exp(-A * d * d);
        double rk = Math.exp(-A * (2 * d + 1));
        double sum = 0;
        for (int p = p0; p <= p1; p++) {
            weight[p - p0] = wk;
            sum += wk;
            wk *= rk;
            rk *= Q;
        }
        return sum;
    }

    static float clamp(float v, int max) {
        return v < 0 ? 0 : (v > max ? max : v);
    }
}
