package org.diffeo4j.train;

import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.augment.ShiftFlip;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;

/**
 * Augmentation of training batches (issue 15): image i of the training set gets, in epoch e, the
 * deformation of (seed, e, i) ({@link DiffeoAugment}) and then the shift and flip of (seed, e, i)
 * ({@link ShiftFlip}), whatever its place in the shuffled batch; the time it takes is counted apart
 * so the epoch log can report its share.
 */
final class Augmenter implements AutoCloseable {
    private final DiffeoAugment diffeo;
    private final ShiftFlip shiftFlip;
    private final DiffeoBackend backend;
    private final boolean parallel;
    private volatile double seconds;

    /**
     * Opens the best available backend ({@code auto}) with {@code threads} threads when a diffeo is
     * drawn; {@code parallel}: draw a batch's fields on the common fork-join pool too (not beside training).
     */
    Augmenter(Augmentation augmentation, long seed, int threads, boolean parallel) {
        this.backend = augmentation.diffeo() == null ? null : Backends.open("auto", threads, note -> { });
        // coefficients drawn by the backend too: on the native one a third of the Java draws' time (docs/BENCHMARKS.md)
        this.diffeo = augmentation.diffeo() == null ? null : new DiffeoAugment(augmentation.diffeo(), seed).drawingOn(backend);
        this.shiftFlip = augmentation.shiftFlip(seed);
        this.parallel = parallel;
    }

    /**
     * Replaces the b images (one thread at a time: the time count is not atomic) in {@code x} (b x c x h x w, modified) by their augmented copies.
     *
     * @param images the training-set index of each image of the batch
     */
    void apply(int epoch, long[] images, float[] x, int c, int h, int w) {
        long t0 = System.nanoTime();
        if (diffeo != null) {
            ImageBatch in = new ImageBatch(images.length, c, h, w, x), out = in.like();
            try (AugmentBatch batch = diffeo.prepare(epoch, images, h, w, parallel)) {
                batch.imagesInto(backend, in, out);
            }
            System.arraycopy(out.data(), 0, x, 0, x.length);
        }
        if (shiftFlip != null) {
            shiftFlip.apply(epoch, images, x, c, h, w);
        }
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
        if (backend != null) {
            backend.close();
        }
    }
}
