package org.diffeo4j.dl4j;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The DL4J preprocessor deforms minibatches exactly as the core API does, image k of the epoch at k. */
class DiffeoAugmentPreProcessorTest {
    @Test
    void minibatchesAreTheCoreAugmentationAtRunningIndices() {
        ImageBatch mnist = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 48).toHeap();
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:c_max=12"), 8);
        try (JavaBackend backend = new JavaBackend(1)) {
            DiffeoAugmentPreProcessor p = new DiffeoAugmentPreProcessor(aug, backend, 1, 28, 28);
            p.startEpoch(2);
            float[] first = preprocess(p, mnist.slice(0, 16), new long[]{16, 784});
            float[] second = preprocess(p, mnist.slice(16, 32), new long[]{32, 1, 28, 28});
            ImageBatch want = mnist.like();
            try (AugmentBatch b = aug.prepare(2, 0, 48, 28, 28)) {
                b.imagesInto(backend, mnist, want);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(want.data(), 0, 16 * 784), first, 1e-6f);
            assertArrayEquals(java.util.Arrays.copyOfRange(want.data(), 16 * 784, 48 * 784), second, 1e-6f);
            assertEquals(48, p.stats().images());
            p.startEpoch(3);
            assertFalse(java.util.Arrays.equals(first, preprocess(p, mnist.slice(0, 16), new long[]{16, 784})), "epoch 3 differs");
            assertThrows(IllegalArgumentException.class, () -> preprocess(p, mnist.slice(0, 4), new long[]{4, 28, 28, 1, 1}));
        }
    }

    private static float[] preprocess(DiffeoAugmentPreProcessor p, ImageBatch b, long[] shape) {
        DataSet ds = new DataSet(Nd4j.create(b.data(), shape, 'c'), Nd4j.zeros(b.count(), 10));
        p.preProcess(ds);
        assertArrayEquals(shape, ds.getFeatures().shape());
        return ds.getFeatures().dup('c').data().asFloat();
    }
}
