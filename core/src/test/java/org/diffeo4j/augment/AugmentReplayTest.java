package org.diffeo4j.augment;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.verify.Tolerances;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Per-image deformations on real MNIST: replayable from their records, independent of batching. */
class AugmentReplayTest {
    private static final long SEED = 77;

    private static ImageBatch mnist(int count) {
        return Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, count).toHeap();
    }

    @Test
    void everyImageReplaysFromItsRecordAndBatchingDoesNotMatter() {
        ImageBatch images = mnist(48);
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:c_min=2,c_max=12"), SEED);
        try (JavaBackend java = new JavaBackend(2); AugmentBatch batch = aug.prepare(3, 100, 48, 28, 28)) {
            ImageBatch out = images.like();
            batch.imagesInto(java, images, out);
            List<Applied> applied = batch.applied();
            // the per-cut synthesis of heap backends equals one call at the largest cut (a GPU's path)
            org.diffeo4j.field.FieldBatch one = java.synthesize(batch.coefficients(), 1.0, 28, 28);
            assertClose(one.dx(), 0, batch.fields(java).dx(), 0, 48 * 784, "dx grouped by cut");
            assertClose(one.dy(), 0, batch.fields(java).dy(), 0, 48 * 784, "dy grouped by cut");
            assertTrue(applied.stream().map(Applied::cut).distinct().count() > 3, "cuts vary per image");
            for (int s = 0; s < 48; s++) {
                Applied a = applied.get(s);
                assertEquals(100 + s, a.image());
                ImageBatch replay = java.deform(images.slice(s, 1).toHeap(), a.spec(aug.spec().interpolation()), a.seed(), a.address());
                assertClose(replay.data(), 0, out.data(), s * 784, 784, "image " + s);
            }
            // the same images drawn in another split: images 120..129 alone
            try (AugmentBatch part = aug.prepare(3, 120, 10, 28, 28)) {
                ImageBatch partOut = images.slice(20, 10).toHeap().like();
                part.imagesInto(java, images.slice(20, 10).toHeap(), partOut);
                assertEquals(applied.subList(20, 30), part.applied());
                assertClose(out.data(), 20 * 784, partOut.data(), 0, 10 * 784, "split batch");
            }
            // a shuffled batch: image i gets image i's deformation wherever it stands
            try (AugmentBatch shuffled = aug.prepare(3, new long[]{130, 101, 147}, 28, 28)) {
                assertEquals(List.of(applied.get(30), applied.get(1), applied.get(47)), shuffled.applied());
            }
            try (AugmentBatch other = aug.prepare(4, 100, 48, 28, 28)) {
                assertNotEquals(applied, other.applied(), "another epoch, other deformations");
            }
        }
    }

    private static void assertClose(float[] want, int wOff, float[] got, int gOff, int n, String what) {
        StringBuilder bad = new StringBuilder();
        int count = 0;
        for (int k = 0; k < n; k++) {
            double e = want[wOff + k], f = got[gOff + k];
            if (Math.abs(e - f) > Tolerances.TWIN_ATOL + Tolerances.TWIN_ATOL * Math.abs(e)) {
                if (count++ < 10) {
                    bad.append(String.format("%n  [%d] expected %.7g found %.7g", k, e, f));
                }
            }
        }
        if (count > 0) {
            fail(what + ": " + count + " mismatches" + bad);
        }
    }
}
