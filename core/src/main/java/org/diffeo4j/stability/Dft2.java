package org.diffeo4j.stability;

/**
 * The 2-D discrete Fourier transform of one h x w plane, by separable 1-D DFTs on rows then columns
 * (O(hw(h + w)) operations: about 44k complex products for 28 x 28, so no FFT is needed at the image
 * sizes the protocol measures). Convention: {@code X_k = sum_j x_j e^(-2 pi i j.k / n)}; the inverse
 * carries the {@code 1/(hw)}, so {@code sum |x|^2 = (1/hw) sum |X|^2} (Parseval). Twiddles come from a
 * table indexed by {@code (j k) mod n}, so every angle is computed once and exactly reduced. Not
 * thread-safe: one per thread.
 */
final class Dft2 {
    private final int h, w;
    private final double[] cosH, sinH, cosW, sinW, tr, ti;

    Dft2(int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("a DFT plane must be at least 1 x 1, found " + h + " x " + w);
        }
        this.h = h;
        this.w = w;
        cosH = new double[h];
        sinH = new double[h];
        cosW = new double[w];
        sinW = new double[w];
        table(cosH, sinH);
        table(cosW, sinW);
        tr = new double[Math.max(h, w)];
        ti = new double[Math.max(h, w)];
    }

    private static void table(double[] cos, double[] sin) {
        for (int k = 0; k < cos.length; k++) {
            double a = 2 * Math.PI * k / cos.length;
            cos[k] = Math.cos(a);
            sin[k] = Math.sin(a);
        }
    }

    /** Transforms {@code re, im [0, h*w)} (row-major) in place; {@code inverse} also divides by hw. */
    void transform(double[] re, double[] im, boolean inverse) {
        for (int y = 0; y < h; y++) {
            line(re, im, y * w, 1, w, cosW, sinW, inverse);
        }
        for (int x = 0; x < w; x++) {
            line(re, im, x, w, h, cosH, sinH, inverse);
        }
        if (inverse) {
            double s = 1.0 / ((double) h * w);
            for (int k = 0; k < h * w; k++) {
                re[k] *= s;
                im[k] *= s;
            }
        }
    }

    /** One 1-D DFT of length n over {@code off, off + stride, ...}: e^(-i theta) forward, e^(+i theta) inverse. */
    private void line(double[] re, double[] im, int off, int stride, int n, double[] cos, double[] sin, boolean inverse) {
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0, at = off, t = 0; j < n; j++, at += stride, t = t + k >= n ? t + k - n : t + k) {
                double c = cos[t], s = sign * sin[t], a = re[at], b = im[at];
                sr += a * c - b * s;
                si += a * s + b * c;
            }
            tr[k] = sr;
            ti[k] = si;
        }
        for (int k = 0, at = off; k < n; k++, at += stride) {
            re[at] = tr[k];
            im[at] = ti[k];
        }
    }
}
