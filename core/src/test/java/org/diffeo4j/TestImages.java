package org.diffeo4j;

import org.diffeo4j.data.ImageBatch;

import java.util.SplittableRandom;

/** Seeded test images. */
public final class TestImages {
    private TestImages() {
    }

    /** Uniform [0, 1) pixels from {@code seed}. */
    public static ImageBatch random(int count, int channels, int height, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[count * channels * height * width];
        for (int k = 0; k < d.length; k++) {
            d[k] = (float) r.nextDouble();
        }
        return new ImageBatch(count, channels, height, width, d);
    }
}
