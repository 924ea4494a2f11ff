package org.diffeo4j.dl4j;

import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Diffeo augmentation for DL4J training loops: set it on a {@code DataSetIterator}
 * ({@code iterator.setPreProcessor(p)}) and call {@link #startEpoch} before each epoch. Minibatch
 * features, NCHW {@code [N, C, H, W]} or flattened {@code [N, C*H*W]} (MNIST iterators), are
 * replaced by their deformed copies; the k-th example seen since {@code startEpoch(e)} is image k of
 * epoch e ({@link DiffeoAugment}), so a run is reproducible for a seed when the iterator's order is.
 *
 * <p>Not thread-safe (it counts examples); the backend is not serialised ({@code transient}): a
 * deserialised instance must be given one with {@link #useBackend}.
 */
public final class DiffeoAugmentPreProcessor implements DataSetPreProcessor {
    private static final long serialVersionUID = 1L;

    private final DiffeoAugment augment;
    private final int channels, height, width;
    private transient DiffeoBackend backend;
    private int epoch;
    private long next;
    private AugmentBatch.Stats stats = new AugmentBatch.Stats(0, 0, 0, 0);

    /**
     * @param augment what to draw
     * @param backend where to deform (not closed here)
     * @param channels image channels C, height H and width W of one example
     */
    public DiffeoAugmentPreProcessor(DiffeoAugment augment, DiffeoBackend backend, int channels, int height, int width) {
        if (channels < 1 || height < 2 || width < 2) {
            throw new IllegalArgumentException("image shape must be C >= 1, H >= 2, W >= 2, found " + channels + "x" + height + "x" + width);
        }
        augment.spec().cutMaxFor(width);
        this.augment = augment;
        this.channels = channels;
        this.height = height;
        this.width = width;
        useBackend(backend);
    }

    /** Sets the backend (after deserialisation). */
    public void useBackend(DiffeoBackend b) {
        if (b == null) {
            throw new IllegalArgumentException("backend must be given, found null");
        }
        this.backend = b;
    }

    /** Starts epoch {@code e}: the next example is image 0 of it. */
    public void startEpoch(int e) {
        this.epoch = e;
        this.next = 0;
    }

    /** Counts of every minibatch since construction (the guarantee's rejections among them). */
    public AugmentBatch.Stats stats() {
        return stats;
    }

    @Override
    public void preProcess(DataSet data) {
        INDArray f = data.getFeatures();
        long[] shape = f.shape();
        int n = (int) shape[0], size = channels * height * width;
        if (f.length() != (long) n * size || (shape.length != 2 && shape.length != 4)) {
            throw new IllegalArgumentException("features must be [N, " + size + "] or [N, " + channels + ", " + height + ", "
                    + width + "], found " + java.util.Arrays.toString(shape));
        }
        float[] in = f.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ImageBatch images = new ImageBatch(n, channels, height, width, in), out = images.like();
        try (AugmentBatch batch = augment.prepare(epoch, next, n, height, width)) {
            batch.imagesInto(backend, images, out);
            stats = stats.plus(batch.stats());
        }
        next += n;
        data.setFeatures(Nd4j.create(out.data(), shape, 'c').castTo(f.dataType()));
    }
}
