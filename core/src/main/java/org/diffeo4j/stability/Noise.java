package org.diffeo4j.stability;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.random.Normals;

import java.util.stream.IntStream;

/**
 * The isotropic noise of G_f: {@code eta_i = g_i / ||g_i|| * ||tau x_i - x_i||}, g_i ~ N(0, I), so each
 * image gets a noise of exactly its own displacement's norm (norms over all C x H x W values).
 */
public final class Noise {
    private Noise() {
    }

    /**
     * {@code clean + eta} with g of image s drawn at (seed, firstSample + s, STREAM_NOISE, k).
     *
     * @param clean x (not modified)
     * @param deformed tau x, same shape (not modified)
     */
    public static ImageBatch add(ImageBatch clean, ImageBatch deformed, long seed, long firstSample) {
        int size = clean.sampleSize();
        ImageBatch out = clean.like();
        // Images are independent and addressed by (seed, sample): the common pool splits them, the
        // result does not depend on how.
        int chunk = 32, chunks = (clean.count() + chunk - 1) / chunk;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] g = new double[size];
            for (int s = c * chunk; s < Math.min(clean.count(), (c + 1) * chunk); s++) {
                Normals.fill(seed, firstSample + s, Normals.STREAM_NOISE, 0, g, 0, size);
                addOne(clean, deformed, s, g, out);
            }
        });
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
            addOne(clean, deformed, s, one, out);
        }
        return out;
    }

    /** {@code ||tau x_s - x_s||} for every image s. */
    public static double[] displacementNorms(ImageBatch clean, ImageBatch deformed) {
        double[] n = new double[clean.count()];
        int size = clean.sampleSize();
        for (int s = 0; s < n.length; s++) {
            n[s] = distance(clean.data(), deformed.data(), s * size, size);
        }
        return n;
    }

    private static void addOne(ImageBatch clean, ImageBatch deformed, int s, double[] g, ImageBatch out) {
        int size = clean.sampleSize(), o = s * size;
        double gn = 0;
        for (int k = 0; k < size; k++) {
            gn += g[k] * g[k];
        }
        double scale = distance(clean.data(), deformed.data(), o, size) / Math.sqrt(gn);
        float[] x = clean.data(), y = out.data();
        for (int k = 0; k < size; k++) {
            y[o + k] = (float) (x[o + k] + g[k] * scale);
        }
    }

    private static double distance(float[] a, float[] b, int offset, int size) {
        double s = 0;
        for (int k = 0; k < size; k++) {
            double d = (double) b[offset + k] - a[offset + k];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
