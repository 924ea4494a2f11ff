package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;

/**
 * Diffeo augmentation as a DJL {@link Transform} (for DJL {@code Dataset} pipelines): takes one
 * image {@code [C, H, W]} or a batch {@code [N, C, H, W]} and returns its deformed copy, float32.
 * The k-th image transformed since {@link #startEpoch}(e) is image k of epoch e of
 * {@link DiffeoAugment}: reproducible for a seed when the pipeline's order is (DJL datasets that
 * shuffle do so from their own seed). Not thread-safe: it counts images.
 */
public final class DiffeoTransform implements Transform {
    private final DiffeoAugment augment;
    private final DiffeoBackend backend;
    private int epoch;
    private long next;

    /**
     * @param augment what to draw
     * @param backend where to deform (not closed here)
     */
    public DiffeoTransform(DiffeoAugment augment, DiffeoBackend backend) {
        if (augment == null || backend == null) {
            throw new IllegalArgumentException("augment and backend must be given, found null");
        }
        this.augment = augment;
        this.backend = backend;
    }

    /** Starts epoch {@code e}: the next image is image 0 of it. */
    public void startEpoch(int e) {
        epoch = e;
        next = 0;
    }

    @Override
    public NDArray transform(NDArray array) {
        Shape s = array.getShape();
        if (s.dimension() != 3 && s.dimension() != 4) {
            throw new IllegalArgumentException("array must be [C, H, W] or [N, C, H, W], found " + s);
        }
        int d = s.dimension();
        int n = d == 4 ? (int) s.get(0) : 1, c = (int) s.get(d - 3), h = (int) s.get(d - 2), w = (int) s.get(d - 1);
        ImageBatch in = new ImageBatch(n, c, h, w, array.toType(DataType.FLOAT32, false).toFloatArray()), out = in.like();
        try (AugmentBatch batch = augment.prepare(epoch, next, n, h, w)) {
            batch.imagesInto(backend, in, out);
        }
        next += n;
        return array.getManager().create(out.data(), s);
    }
}
