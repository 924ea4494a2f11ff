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
    /** exp(-a k^2) for window offsets k = 0..5. */
    private static final double[] GAUSS = {1, Math.exp(-A), Math.exp(-4 * A), Math.exp(-9 * A), Math.exp(-16 * A), Math.exp(-25 * A)};

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
            case GAUSSIAN -> gaussian(in, inOff, channels, h, w, dx, dy, fOff, out, outOff, new double[12]);
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
     * over the window of {@link #WINDOW_LOW}/{@link #WINDOW_HIGH}. The kernel is separable, so the
     * weights are a product of per-axis weights. Taps outside the image get weight 0 (and a valid
     * index), which is exactly the clipped sum, so every window is a fixed 6 x 6.
     *
     * @param scratch at least 12 doubles; unused since the float tables below, kept for the API
     */
    public static void gaussian(float[] in, int inOff, int channels, int h, int w,
                                float[] dx, float[] dy, int fOff, float[] out, int outOff, double[] scratch) {
        int plane = h * w;
        float[] wx = new float[TAPS], wy = new float[TAPS];
        int[] ix = new int[TAPS], iy = new int[TAPS];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float sx = clamp(x - dx[fOff + p], w - 1);
                float sy = clamp(y - dy[fOff + p], h - 1);
                double sumX = axisWeights((int) sx - WINDOW_LOW, sx, w, wx, ix);
                double sumY = axisWeights((int) sy - WINDOW_LOW, sy, h, wy, iy);
                float norm = (float) (1.0 / (sumX * sumY));
                for (int c = 0; c < channels; c++) {
                    int b = inOff + c * plane;
                    float acc = 0;
                    for (int ky = 0; ky < TAPS; ky++) {
                        int r = b + iy[ky] * w;
                        acc += wy[ky] * (wx[0] * in[r + ix[0]] + wx[1] * in[r + ix[1]] + wx[2] * in[r + ix[2]]
                                + wx[3] * in[r + ix[3]] + wx[4] * in[r + ix[4]] + wx[5] * in[r + ix[5]]);
                    }
                    out[outOff + c * plane + p] = acc * norm;
                }
            }
        }
    }

    /**
     * Fills the 6 taps {@code p0 .. p0+5} of one axis: weights proportional to
     * {@code exp(-a (p - s)^2)} (0 off the image) and clamped indices; returns the weights' sum.
     * With d0 = p0 - s, {@code exp(-a (d0 + k)^2) = exp(-a d0^2) E^k exp(-a k^2)},
     * {@code E = exp(-2 a d0)}; the first factor is common to the window and cancels in the
     * normalisation, so one exponential per axis suffices. d0 is in (-3, -2], so E^k stays below
     * exp(2a * 3 * 5) ~ 1e29, far from overflow, and the products keep double precision.
     */
    static double axisWeights(int p0, double s, int n, float[] weight, int[] index) {
        double e = Math.exp(-2 * A * (p0 - s));
        double ek = 1, sum = 0;
        for (int k = 0; k < TAPS; k++) {
            int p = p0 + k;
            boolean inside = p >= 0 && p < n;
            double wk = inside ? ek * GAUSS[k] : 0;
            weight[k] = (float) wk;
            index[k] = inside ? p : (p < 0 ? 0 : n - 1);
            sum += wk;
            ek *= e;
        }
        return sum;
    }

    static float clamp(float v, int max) {
        return v < 0 ? 0 : (v > max ? max : v);
    }
}
