package org.diffeo4j.cuda;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.diffeo4j.backend.TwinChecks.images;
import static org.diffeo4j.backend.TwinChecks.temperature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cuda backend's host code and the kernels' sources, run on the CPU emulator against Java (see
 * {@link EmulatedDevice} for what this does and does not cover). Chunks are kept small (1 MB) so
 * that chunking runs in every test; the emulated GPU has 2 SMs so grid-stride loops wrap.
 */
class EmulatedTwinTest extends CudaTwinHarness {
    static final long CHUNK_BYTES = 1 << 20;

    @Override
    CudaBackend open() {
        // built whenever g++ was there: missing it is a failure unless g++ is missing too (then a skip, a failure in CI)
        org.diffeo4j.Preconditions.require(EmulatedDevice.executableOrNull() != null || onPath("g++"),
                "kernel emulator not built: g++ is not on the PATH, emulated kernel tests skipped");
        assertNotNull(EmulatedDevice.executableOrNull(), "the kernel emulator was not built (target/emu/cuda-emu)");
        return new CudaBackend(new EmulatedDevice(2, 48 * 1024), CHUNK_BYTES);
    }

    /** True when an executable {@code name} is in a folder of the PATH. */
    static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    @Override
    int[] largeBatchShape() {
        return new int[] {4, 4, 1, 3, 20_000}; // 100,000 runs on the GPU; the emulator runs blocks one at a time
    }

    /** A shared-memory budget too small for a fused tile sends deform through draw + synthesize + remap. */
    @Test
    void stagedPathGivesTheSameImages() {
        ImageBatch images = images(9, 3, 21, 18, 2);
        DiffeoSpec spec = new DiffeoSpec(40, temperature(2.0, 40, 21, 18), Interpolation.BILINEAR);
        try (CudaBackend small = new CudaBackend(new EmulatedDevice(2, 12 * 1024 + 1024), CHUNK_BYTES)) {
            assertTrue(LaunchGeometry.tile(40, 21, 18, true, 12 * 1024) == null, "the fused tile must not fit");
            assertArrayEquals(cuda.deform(images, spec, 5, 3).data(), small.deform(images, spec, 5, 3).data());
            float[] want = java.deform(images, spec, 5, 3).data(), got = small.deform(images, spec, 5, 3).data();
            for (int k = 0; k < want.length; k++) {
                assertTrue(Math.abs(want[k] - got[k]) <= 1e-5, "pixel " + k + ": " + want[k] + " vs " + got[k]);
            }
        }
    }

    /** Chunking: a 64 KB chunk budget cuts 50 samples into many calls; the images are the same bits. */
    @Test
    void chunkingGivesTheSameBits() {
        ImageBatch images = images(50, 3, 16, 16, 8);
        DiffeoSpec spec = new DiffeoSpec(5, temperature(1.0, 5, 16, 16), Interpolation.GAUSSIAN);
        try (CudaBackend tiny = new CudaBackend(new EmulatedDevice(2, 48 * 1024), 64 * 1024)) {
            assertArrayEquals(cuda.deform(images, spec, 9, 0).data(), tiny.deform(images, spec, 9, 0).data());
        }
    }

    /** Device batches: every operation in place on the device, read back, same bits as the staged heap call. */
    @Test
    void deviceResidentBatchesGiveTheStagedBits() {
        ImageBatch images = images(5, 1, 12, 10, 4);
        DiffeoSpec spec = new DiffeoSpec(4, temperature(1.0, 4, 12, 10), Interpolation.NEAREST);
        try (ImageBatch in = cuda.allocateImages(5, 1, 12, 10); ImageBatch out = cuda.allocateImages(5, 1, 12, 10);
             ImageBatch noisy = cuda.allocateImages(5, 1, 12, 10)) {
            assertEquals(Memory.DEVICE, in.memory());
            images.copyTo(in);
            cuda.deformInto(in, spec, 1, 2, out);
            cuda.synchronize();
            ImageBatch heapOut = cuda.deform(images, spec, 1, 2);
            assertArrayEquals(heapOut.data(), out.toHeap().data());
            cuda.addNoiseInto(in, out, 3, 4, noisy);
            assertArrayEquals(cuda.addNoise(images, heapOut, 3, 4).data(), noisy.toHeap().data());
            assertArrayEquals(cuda.squaredDistances(images, heapOut), cuda.squaredDistances(in, out));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cuda.deformInto(in, spec, 1, 2, in));
            assertTrue(e.getMessage().startsWith("out must not be the input images"), e.getMessage());
            IllegalStateException h = assertThrows(IllegalStateException.class, in::data);
            assertTrue(h.getMessage().contains("DEVICE"), h.getMessage());
        }
    }
}
