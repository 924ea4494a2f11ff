package org.diffeo4j.stability;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.random.Normals;
import org.diffeo4j.random.Philox4x32;

/**
 * The spectrally matched noise of G_f^spec: per image and channel, the power spectrum of
 * {@code d = tau x - x} with random phases. With {@code D = DFT2(d)}, bin k gets
 * {@code N_k = |D_k| e^(i phi_k)}, phi_k uniform in [0, 2 pi), and {@code N_(-k) = conj(N_k)} so that
 * {@code n = IDFT2(N)} is real; a self-conjugate bin (k = -k mod (H, W): DC, and the Nyquist row and
 * column of an even side) takes {@code +-|D_k|}, the sign being its "phase". Then |N_k|^2 = |D_k|^2
 * bin by bin and, by Parseval, ||n|| = ||d||; the image is finally scaled to exactly
 * {@code ||tau x - x||} with the arithmetic of the Gaussian {@link Noise} ({@code out = (float)(x +
 * n * (||y - x|| / ||n||))}, norms in double over C x H x W).
 *
 * <p>Randomness (docs/randomness.md): the phase of bin k = (ky, kx) of channel ch is the uniform of
 * element {@code e = ch*H*W + ky*W + kx} at (seed, sample, {@link #STREAM_PHASE}), word {@code e % 4}
 * of Philox block {@code e / 4}; only the canonical bin of each conjugate pair (the one with the
 * smaller row-major index) is read, and a self-conjugate bin is negated when its uniform is below 1/2.
 * No other draw uses stream 6, so the spectral noise of a sample never correlates with its diffeo.
 *
 * <p>Computed on the heap by every backend (the backends' {@code addNoiseInto} implement only the
 * Gaussian noise); cost O(C H W (H + W)) per image.
 */
public final class SpectralNoise {
    /** Philox stream of the random phases. */
    public static final int STREAM_PHASE = 6;

    private SpectralNoise() {
    }

    /** Working arrays for one image shape; one per thread. */
    public static final class Scratch {
        final int channels, h, w;
        final Dft2 dft;
        final double[] re, im, noise;

        public Scratch(int channels, int h, int w) {
            this.channels = channels;
            this.h = h;
            this.w = w;
            dft = new Dft2(h, w);
            re = new double[h * w];
            im = new double[h * w];
            noise = new double[channels * h * w];
        }
    }

    /**
     * The phase-randomised {@code d} before the final scaling: {@code out[0, C*H*W)} gets n, whose
     * power spectrum equals d's per channel and bin. {@code d} is not modified.
     */
    public static void randomisePhases(double[] d, long seed, long sample, double[] out, Scratch s) {
        int plane = s.h * s.w;
        if (d.length < s.channels * plane || out.length < s.channels * plane) {
            throw new IllegalArgumentException("d and out must hold C*H*W = " + s.channels * plane + " values, found "
                    + d.length + " and " + out.length);
        }
        int[] words = new int[4];
        int k0 = (int) seed, k1 = (int) (seed >>> 32), s0 = (int) sample, s1 = (int) (sample >>> 32);
        for (int ch = 0; ch < s.channels; ch++) {
            System.arraycopy(d, ch * plane, s.re, 0, plane);
            java.util.Arrays.fill(s.im, 0);
            s.dft.transform(s.re, s.im, false);
            int lastBlock = -1;
            for (int ky = 0; ky < s.h; ky++) {
                for (int kx = 0; kx < s.w; kx++) {
                    int p = ky * s.w + kx, q = ((s.h - ky) % s.h) * s.w + (s.w - kx) % s.w;
                    if (p > q) {
                        continue; // set with its canonical partner q
                    }
                    int e = ch * plane + p;
                    if (e >>> 2 != lastBlock) {
                        lastBlock = e >>> 2;
                        Philox4x32.block(lastBlock, STREAM_PHASE, s0, s1, k0, k1, words);
                    }
                    double u = Normals.uniform(words[e & 3]), a = Math.hypot(s.re[p], s.im[p]);
                    if (p == q) {
                        s.re[p] = u < 0.5 ? -a : a;
                        s.im[p] = 0;
                    } else {
                        double phi = 2 * Math.PI * u;
                        s.re[p] = a * Math.cos(phi);
                        s.im[p] = a * Math.sin(phi);
                        s.re[q] = s.re[p];
                        s.im[q] = -s.im[p];
                    }
                }
            }
            s.dft.transform(s.re, s.im, true);
            System.arraycopy(s.re, 0, out, ch * plane, plane); // Hermitian, so the imaginary part is rounding only
        }
    }

    /**
     * One sample: {@code out[o, o+size) = x + n * ||y - x|| / ||n||} for the image at offset {@code o}
     * of x (clean) and y (deformed), n drawn at (seed, sample). x and y are not modified.
     */
    public static void sample(float[] x, float[] y, float[] out, int o, long seed, long sample, Scratch s) {
        int size = s.channels * s.h * s.w;
        double[] d = new double[size];
        for (int k = 0; k < size; k++) {
            d[k] = (double) y[o + k] - x[o + k];
        }
        randomisePhases(d, seed, sample, s.noise, s);
        double nn = 0;
        for (int k = 0; k < size; k++) {
            nn += s.noise[k] * s.noise[k];
        }
        if (nn == 0) { // tau x = x: a noise of norm 0
            System.arraycopy(x, o, out, o, size);
            return;
        }
        Noise.scaled(x, y, out, o, size, s.noise);
    }

    /** {@code clean + eta^spec}, image s at sample address {@code firstSample + s}; inputs not modified. */
    public static ImageBatch add(ImageBatch clean, ImageBatch deformed, long seed, long firstSample) {
        clean.requireSameShape(deformed, "deformed");
        ImageBatch x = clean.toHeap(), y = deformed.toHeap(), out = x.like();
        Scratch s = new Scratch(x.channels(), x.height(), x.width());
        int size = x.sampleSize();
        for (int i = 0; i < x.count(); i++) {
            sample(x.data(), y.data(), out.data(), i * size, seed, firstSample + i, s);
        }
        return out;
    }
}
