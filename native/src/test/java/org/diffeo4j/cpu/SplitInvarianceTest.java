package org.diffeo4j.cpu;

import org.diffeo4j.backend.TwinChecks;
import org.diffeo4j.data.ImageBatch;
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

    @Test
    void directBuffersGiveTheHeapBits() {
        ImageBatch images = TwinChecks.images(9, 3, 32, 30, 8);
        try (NativeBackend nat = NativeLibrary.open(2, -1)) {
            float[] heap = nat.deform(images, SPEC, 5, 3).data();
            FloatBuffer in = direct(images.data().length + 4), out = direct(images.data().length + 4);
            in.position(4);
            in.put(images.data());
            in.position(4); // read from the position, not from 0
            out.position(4);
            nat.deform(in, out, 9, 3, 32, 30, SPEC, 5, 3);
            assertEquals(4, out.position(), "positions are not moved");
            float[] got = new float[heap.length];
            out.get(got);
            assertArrayEquals(heap, got);

            CoefficientBatch z = CoefficientBatch.draw(5, 5, 3, 9);
            FieldBatch f = nat.synthesize(z, 3e-3, 32, 30);
            FloatBuffer zu = direct(z.zu().length).put(z.zu()).flip(), zv = direct(z.zv().length).put(z.zv()).flip();
            FloatBuffer dx = direct(f.dx().length), dy = direct(f.dy().length);
            nat.synthesize(zu, zv, dx, dy, 9, 5, 3e-3, 32, 30);
            float[] gdx = new float[f.dx().length], gdy = new float[f.dy().length];
            dx.get(gdx);
            dy.get(gdy);
            assertArrayEquals(f.dx(), gdx);
            assertArrayEquals(f.dy(), gdy);

            float[] remapped = nat.remap(images, f, Interpolation.GAUSSIAN).data();
            FloatBuffer rin = direct(images.data().length).put(images.data()).flip();
            FloatBuffer rout = direct(remapped.length);
            nat.remap(rin, dx.rewind(), dy.rewind(), rout, 9, 3, 32, 30, Interpolation.GAUSSIAN);
            float[] r = new float[remapped.length];
            rout.get(r);
            assertArrayEquals(remapped, r);
        }
    }

    @Test
    void heapOrShortBuffersAreRefusedWithAMessage() {
        try (NativeBackend nat = NativeLibrary.open(1, -1)) {
            FloatBuffer heap = FloatBuffer.allocate(28 * 28);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nat.deform(heap, direct(28 * 28), 1, 1, 28, 28, SPEC, 1, 0));
            assertEquals("in must be a direct FloatBuffer, found a heap buffer (use the ImageBatch methods for heap arrays)",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> nat.deform(direct(28 * 28), direct(28 * 27), 1, 1, 28, 28, SPEC, 1, 0));
            assertEquals("out must have 784 floats remaining, found 756", e.getMessage());
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
            assertEquals("out must not be images: the remap reads neighbours it would overwrite", e.getMessage());
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
