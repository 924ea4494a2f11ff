package org.diffeo4j.train;

import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;

/**
 * Diffeo augmentation of training batches (issue 15): image i of the training set gets, in epoch e,
 * the deformation of (seed, e, i) ({@link DiffeoAugment}), whatever its place in the shuffled batch;
 * the time it takes is counted apart so the epoch log can report its share.
 */
final class Augmenter implements AutoCloseable {
    private final DiffeoAugment augment;
    private final DiffeoBackend backend;
    private double seconds;

    /** Opens the best available backend ({@code auto}) with {@code threads} threads. */
    Augmenter(AugmentSpec spec, long seed, int threads) {
        this.augment = new DiffeoAugment(spec, seed);
        this.backend = Backends.open("auto", threads, note -> { });
    }

    /**
     * Replaces the b images in {@code x} (b x c x h x w, modified) by their deformed copies.
     *
     * @param images the training-set index of each image of the batch
     */
    void apply(int epoch, long[] images, float[] x, int c, int h, int w) {
        long t0 = System.nanoTime();
        ImageBatch in = new ImageBatch(images.length, c, h, w, x), out = in.like();
        try (AugmentBatch batch = augment.prepare(epoch, images, h, w)) {
            batch.imagesInto(backend, in, out);
        }
        System.arraycopy(out.data(), 0, x, 0, x.length);
        seconds += (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds spent augmenting since the last call (and resets the count). */
    double takeSeconds() {
        double s = seconds;
        seconds = 0;
        return s;
    }

    @Override
    public void close() {
        backend.close();
    }
}
