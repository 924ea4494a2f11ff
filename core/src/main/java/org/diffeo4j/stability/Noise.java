package org.diffeo4j.stability;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.random.Normals;

/**
 * The isotropic noise of G_f: {@code eta_i = g_i / ||g_i|| * ||tau x_i - x_i||}, g_i ~ N(0, I), so each
 * image gets a noise of exactly its own displacement's norm (norms over all C x H x W values). This
 * is the reference arithmetic every backend's {@code addNoiseInto} follows: both norms accumulated
 * in double in element order, {@code out = (float)(x + g * (||y - x|| / ||g||))}.
 */
public final class Noise {
    private Noise() {
    }

    /**
     * One sample: {@code out[o..o+size) = x + g * ||y - x|| / ||g||} with g drawn at
     * (seed, sample, STREAM_NOISE, k) into {@code g} (scratch of at least {@code size}).
     */
    public static void sample(float[] x, float[] y, float[] out, int o, int size, long seed, long sample, double[] g) {
        Normals.fill(seed, sample, Normals.STREAM_NOISE, 0, g, 0, size);
        scaled(x, y, out, o, size, g);
    }

    /** {@code ||a[o..o+size) - b[o..o+size)||^2}, summed in double in element order. */
    public static double squaredDistance(float[] a, float[] b, int o, int size) {
        double s = 0;
        for (int k = 0; k < size; k++) {
            double d = (double) b[o + k] - a[o + k];
            s += d * d;
        }
        return s;
    }

    /**
     * {@code clean + eta} with g of image s drawn at (seed, firstSample + s): the sequential reference
     * for tests (the measurement calls its backend's {@code addNoiseInto}).
     */
    public static ImageBatch add(ImageBatch clean, ImageBatch deformed, long seed, long firstSample) {
        clean.requireSameShape(deformed, "deformed");
        int size = clean.sampleSize();
        ImageBatch out = clean.like();
        double[] g = new double[size];
        for (int s = 0; s < clean.count(); s++) {
            sample(clean.data(), deformed.data(), out.data(), s * size, size, seed, firstSample + s, g);
        }
        return out;
    }

    /**
     * {@code clean + eta} with the raw normals g given by the caller (replay): {@code g[s*size + k]}.
     */
    public static ImageBatch add(ImageBatch clean, ImageBatch deformed, double[] g) {
        int size = clean.sampleSize();
        if (g.length != (long) clean.count() * size) {
            throw new IllegalArgumentException("noise must have count*C*H*W = " + (long) clean.count() * size
                    + " values, found " + g.length);
        }
        ImageBatch out = clean.like();
        double[] one = new double[size];
        for (int s = 0; s < clean.count(); s++) {
            System.arraycopy(g, s * size, one, 0, size);
            scaled(clean.data(), deformed.data(), out.data(), s * size, size, one);
        }
        return out;
    }

    /** {@code ||tau x_s - x_s||} for every image s. */
    public static double[] displacementNorms(ImageBatch clean, ImageBatch deformed) {
        double[] n = new double[clean.count()];
        int size = clean.sampleSize();
        for (int s = 0; s < n.length; s++) {
            n[s] = Math.sqrt(squaredDistance(clean.data(), deformed.data(), s * size, size));
        }
        return n;
    }

    /** Shared with {@link SpectralNoise}, whose n takes the place of g: one arithmetic for both noises. */
    static void scaled(float[] x, float[] y, float[] out, int o, int size, double[] g) {
        double gn = 0, dn = 0;
        for (int k = 0; k < size; k++) {
            gn += g[k] * g[k];
            double d = (double) y[o + k] - x[o + k];
            dn += d * d;
        }
        double scale = Math.sqrt(dn) / Math.sqrt(gn);
        for (int k = 0; k < size; k++) {
            out[o + k] = (float) (x[o + k] + g[k] * scale);
        }
    }
}
