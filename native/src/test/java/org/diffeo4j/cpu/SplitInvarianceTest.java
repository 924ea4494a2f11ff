package org.diffeo4j.cpu;

import org.diffeo4j.backend.TwinChecks;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * DESIGN.md section 3: the same seed gives the same bits for any thread count (1, 2, 7) and any batch
 * split, and the zero-copy direct-buffer entry points give the bits of the heap ones.
 */
class SplitInvarianceTest {
    static final DiffeoSpec SPEC = new DiffeoSpec(5, 3e-3, Interpolation.BILINEAR);

    @Test
    void threadCountsGiveIdenticalBits() {
        for (Interpolation interp : Interpolation.values()) {
            DiffeoSpec spec = new DiffeoSpec(5, 3e-3, interp);
            ImageBatch images = TwinChecks.images(101, 3, 19, 23, 3);
            float[] one = deform(1, images, spec, 0);
            for (int threads : new int[]{2, 7}) {
                assertArrayEquals(one, deform(threads, images, spec, 0), interp + " with " + threads + " threads");
            }
        }
    }

    @Test
    void batchSplitsGiveIdenticalBits() {
        ImageBatch images = TwinChecks.images(60, 1, 28, 28, 4);
        float[] whole = deform(2, images, SPEC, 1000);
        float[] parts = new float[whole.length];
        int[] cuts = {0, 1, 17, 18, 59, 60};
        for (int k = 0; k + 1 < cuts.length; k++) {
            int from = cuts[k], n = cuts[k + 1] - cuts[k];
            float[] part = deform(7, images.slice(from, n), SPEC, 1000 + from);
            System.arraycopy(part, 0, parts, from * images.sampleSize(), part.length);
        }
        assertArrayEquals(whole, parts);
    }

    /** Large heap batches are cut into several calls by offset; the bits must not notice. */
    @Test
    void heapSlicingGivesIdenticalBits() {
        NativeLibrary.assumeLoaded();
        ImageBatch images = TwinChecks.images(23, 3, 17, 19, 6);
        CoefficientBatch z = CoefficientBatch.draw(4, 8, 0, 23);
        for (Interpolation interp : Interpolation.values()) {
            DiffeoSpec spec = new DiffeoSpec(4, 2e-3, interp);
            try (NativeBackend whole = new NativeBackend(2, -1); NativeBackend sliced = new NativeBackend(2, -1, 5000)) {
                assertArrayEquals(whole.deform(images, spec, 3, 11).data(), sliced.deform(images, spec, 3, 11).data());
                FieldBatch f = whole.synthesize(z, 2e-3, 17, 19), g = sliced.synthesize(z, 2e-3, 17, 19);
                assertArrayEquals(f.dx(), g.dx());
                assertArrayEquals(f.dy(), g.dy());
                assertArrayEquals(whole.remap(images, f, interp).data(), sliced.remap(images, f, interp).data());
            }
        }
    }

    /** Direct batches are read and written in place, with the bits of the heap path; every operation. */
    @Test
    void directBuffersGiveTheHeapBits() {
        ImageBatch images = TwinChecks.images(9, 3, 32, 30, 8);
        try (NativeBackend nat = NativeLibrary.open(2, -1)) {
            ImageBatch in = ImageBatch.direct(9, 3, 32, 30), out = ImageBatch.direct(9, 3, 32, 30);
            images.copyTo(in);
            assertEquals(Memory.DIRECT, in.memory());
            ImageBatch heapDeformed = nat.deform(images, SPEC, 5, 3);
            nat.deformInto(in, SPEC, 5, 3, out);
            assertArrayEquals(heapDeformed.data(), out.toHeap().data());

            CoefficientBatch z = CoefficientBatch.draw(5, 5, 3, 9);
            FieldBatch f = nat.synthesize(z, 3e-3, 32, 30), d = FieldBatch.direct(9, 32, 30);
            nat.synthesizeInto(z, 3e-3, d);
            assertArrayEquals(f.dx(), d.toHeap().dx());
            assertArrayEquals(f.dy(), d.toHeap().dy());

            nat.remapInto(in, d, Interpolation.GAUSSIAN, out);
            assertArrayEquals(nat.remap(images, f, Interpolation.GAUSSIAN).data(), out.toHeap().data());

            ImageBatch noisy = ImageBatch.direct(9, 3, 32, 30);
            nat.addNoiseInto(in, out, 7, 1, noisy);
            ImageBatch heapOut = out.toHeap();
            assertArrayEquals(nat.addNoise(images, heapOut, 7, 1).data(), noisy.toHeap().data());
            assertArrayEquals(nat.squaredDistances(images, heapOut), nat.squaredDistances(in, out));
            // mixed memories are staged: the same bits again
            nat.deformInto(images, SPEC, 5, 3, out);
            assertArrayEquals(heapDeformed.data(), out.toHeap().data());
        }
    }

    @Test
    void mismatchedBatchesAreRefusedWithAMessage() {
        try (NativeBackend nat = NativeLibrary.open(1, -1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nat.deformInto(ImageBatch.direct(1, 1, 28, 28), SPEC, 1, 0, ImageBatch.direct(1, 1, 28, 27)));
            assertEquals("out must have shape [1, 1, 28, 28], found [1, 1, 28, 27]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ImageBatch.wrap(1, 1, 28, 28, FloatBuffer.allocate(28 * 28)));
            assertEquals("buffer must be a direct FloatBuffer, found a heap buffer", e.getMessage());
        }
    }

    /** Two Java threads sharing one backend (and its worker pool) get the bits each would get alone. */
    @Test
    void concurrentCallersShareThePool() throws Exception {
        ImageBatch a = TwinChecks.images(40, 1, 28, 28, 1), b = TwinChecks.images(30, 3, 32, 32, 2);
        float[] wantA = deform(1, a, SPEC, 0), wantB = deform(1, b, SPEC, 500);
        try (NativeBackend nat = NativeLibrary.open(3, -1)) {
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 20; round++) {
                    var fa = ex.submit(() -> nat.deform(a, SPEC, 77, 0).data());
                    var fb = ex.submit(() -> nat.deform(b, SPEC, 77, 500).data());
                    assertArrayEquals(wantA, fa.get());
                    assertArrayEquals(wantB, fb.get());
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void deformIntoACallersBatchGivesTheSameBits() {
        ImageBatch images = TwinChecks.images(12, 3, 20, 21, 9);
        try (NativeBackend nat = NativeLibrary.open(2, -1)) {
            ImageBatch out = images.like();
            nat.deformInto(images, SPEC, 4, 2, out);
            assertArrayEquals(nat.deform(images, SPEC, 4, 2).data(), out.data());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nat.deformInto(images, SPEC, 4, 2, images));
            assertEquals("out must not be the input images: the remap reads neighbours it would overwrite", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> nat.deformInto(images, SPEC, 4, 2, images.slice(0, 11)));
        }
    }

    @Test
    void aClosedBackendSaysSo() {
        NativeBackend nat = NativeLibrary.open(2, -1);
        nat.close();
        nat.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> nat.deform(TwinChecks.images(1, 1, 8, 8, 1), SPEC, 1, 0));
        assertEquals("native backend is closed", e.getMessage());
    }

    static float[] deform(int threads, ImageBatch images, DiffeoSpec spec, long first) {
        try (NativeBackend nat = NativeLibrary.open(threads, -1)) {
            return nat.deform(images, spec, 77, first).data();
        }
    }

    static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
