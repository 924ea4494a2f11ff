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
    void drawingOnAHeapBackendReadsThatBackendsDrawsAndSerialEqualsParallel() {
        AugmentSpec spec = AugmentSpec.parse("diffeo:c_min=2,c_max=12,diffeomorphic=true,t_max_scale=2");
        long[] images = {5, 900, 3, 41, 77, 12, 6, 8, 1000, 2, 33, 31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 4, 44, 55, 66, 88, 99, 111, 222, 333};
        try (JavaBackend java = new JavaBackend(1);
             AugmentBatch core = new DiffeoAugment(spec, SEED).prepare(2, images, 28, 28, true);
             AugmentBatch drawn = new DiffeoAugment(spec, SEED).drawingOn(java).prepare(2, images, 28, 28, false)) {
            // JavaBackend.draw is core's draw: the same coefficients, redraws (folds at 2 T_max) included
            assertEquals(core.applied(), drawn.applied());
            assertTrue(core.stats().fieldsRejected() > 0, "some fields were redrawn");
            org.junit.jupiter.api.Assertions.assertArrayEquals(core.coefficients().zu(), drawn.coefficients().zu());
            org.junit.jupiter.api.Assertions.assertArrayEquals(core.coefficients().zv(), drawn.coefficients().zv());
        }
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

    /**
     * A backend whose fields live off the heap (as a GPU's do) gets one synthesis at the largest cut
     * instead of one per cut: the same images. The Java backend run on direct buffers stands in for
     * the device: it computes the same arithmetic after copying them in.
     */
    @Test
    void offHeapFieldsTakeTheOneCallPathWithTheSameResult() {
        ImageBatch images = mnist(40);
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.defaults(), SEED);
        try (JavaBackend java = new JavaBackend(2); AugmentBatch batch = aug.prepare(0, 0, 40, 28, 28);
             org.diffeo4j.backend.DiffeoBackend direct = new DirectFields(java)) {
            ImageBatch heapOut = images.like(), directOut = images.like();
            batch.imagesInto(java, images, heapOut);
            batch.imagesInto(direct, images, directOut);
            assertEquals(org.diffeo4j.data.Memory.DIRECT, batch.fields(direct).memory());
            assertClose(heapOut.data(), 0, directOut.data(), 0, 40 * 784, "direct-memory fields");
        }
    }

    /** The Java backend with fields allocated in direct memory. */
    private record DirectFields(JavaBackend java) implements org.diffeo4j.backend.DiffeoBackend {
        public String name() {
            return "java-direct-fields";
        }

        public String device() {
            return java.device();
        }

        public java.util.Set<org.diffeo4j.data.Memory> memories() {
            return java.memories();
        }

        public ImageBatch allocateImages(int count, int channels, int height, int width) {
            return java.allocateImages(count, channels, height, width);
        }

        public org.diffeo4j.field.FieldBatch allocateFields(int count, int height, int width) {
            return org.diffeo4j.field.FieldBatch.direct(count, height, width);
        }

        public org.diffeo4j.field.CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
            return java.draw(cut, seed, firstSample, count);
        }

        public void synthesizeInto(org.diffeo4j.field.CoefficientBatch coeffs, double temperature, org.diffeo4j.field.FieldBatch out) {
            java.synthesizeInto(coeffs, temperature, out);
        }

        public void remapInto(ImageBatch images, org.diffeo4j.field.FieldBatch fields, org.diffeo4j.interp.Interpolation interp, ImageBatch out) {
            java.remapInto(images, fields, interp, out);
        }

        public void deformInto(ImageBatch images, org.diffeo4j.field.DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
            java.deformInto(images, spec, seed, firstSample, out);
        }

        public void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out) {
            java.addNoiseInto(clean, deformed, seed, firstSample, out);
        }

        public void squaredDistances(ImageBatch a, ImageBatch b, double[] out) {
            java.squaredDistances(a, b, out);
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
