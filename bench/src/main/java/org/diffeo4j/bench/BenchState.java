package org.diffeo4j.bench;

import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;

import java.util.SplittableRandom;

/** Shared set-up: seeded images and an opened backend. */
final class BenchState {
    private BenchState() {
    }

    static ImageBatch images(int batch, int channels, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[batch * channels * size * size];
        for (int k = 0; k < d.length; k++) {
            d[k] = (float) r.nextDouble();
        }
        return new ImageBatch(batch, channels, size, size, d);
    }

    /** Opens the named backend or fails the benchmark with the backend's reason. */
    static DiffeoBackend open(String backend, int threads) {
        return Backends.open(backend, threads, note -> System.err.println("note: " + note));
    }

    /** {@code images} copied into the backend's own memory (the same batch when it already reads it in place). */
    static ImageBatch resident(DiffeoBackend b, ImageBatch images) {
        if (b.memories().contains(images.memory())) {
            return images;
        }
        ImageBatch r = b.allocateImages(images.count(), images.channels(), images.height(), images.width());
        images.copyTo(r);
        return r;
    }

    /** Frees the batches (device memory, if any), then closes the backend. */
    static void close(DiffeoBackend b, ImageBatch... batches) {
        for (ImageBatch x : batches) {
            x.close();
        }
        b.close();
    }
}
