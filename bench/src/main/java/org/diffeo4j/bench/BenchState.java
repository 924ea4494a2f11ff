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
}
