package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The DJL Transform gives core's augmentation, image k of the epoch at the k-th image transformed. */
class DiffeoTransformTest {
    @Test
    void imagesAndBatchesAreTheCoreAugmentation() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        ImageBatch mnist = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 5).toHeap();
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:c_max=10"), 4);
        try (JavaBackend backend = new JavaBackend(1); NDManager m = TorchRuntime.newManager()) {
            DiffeoTransform t = new DiffeoTransform(aug, backend);
            t.startEpoch(1);
            float[] one = t.transform(m.create(mnist.slice(0, 1).data(), new Shape(1, 28, 28))).toFloatArray();
            NDArray rest = t.transform(m.create(mnist.slice(1, 4).data(), new Shape(4, 1, 28, 28)));
            ImageBatch want = mnist.like();
            try (AugmentBatch b = aug.prepare(1, 0, 5, 28, 28)) {
                b.imagesInto(backend, mnist, want);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(want.data(), 0, 784), one, 1e-6f);
            assertArrayEquals(java.util.Arrays.copyOfRange(want.data(), 784, 5 * 784), rest.toFloatArray(), 1e-6f);
        }
    }
}
