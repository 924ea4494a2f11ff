package org.diffeo4j.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launch geometry and chunking, without a GPU. */
class LaunchGeometryTest {
    @Test
    void sampleThreadsArePowersOfTwoFromOneWarpToTheMaximum() {
        assertEquals(32, LaunchGeometry.sampleThreads(1));
        assertEquals(32, LaunchGeometry.sampleThreads(128));
        assertEquals(64, LaunchGeometry.sampleThreads(129));
        assertEquals(256, LaunchGeometry.sampleThreads(32 * 32));
        assertEquals(256, LaunchGeometry.sampleThreads(224L * 224 * 3));
        assertEquals(128, LaunchGeometry.synthesisThreads(32 * 32));
        assertEquals(128, LaunchGeometry.synthesisThreads(28 * 28));
        assertEquals(32, LaunchGeometry.synthesisThreads(1));
        assertEquals(256, LaunchGeometry.synthesisThreads(224 * 224));
        for (long p = 1; p < 5000; p += 37) {
            for (int t : new int[] {LaunchGeometry.sampleThreads(p), LaunchGeometry.synthesisThreads(p)}) {
                assertEquals(1, Integer.bitCount(t), "threads for " + p + " pixels: " + t);
                assertTrue(t >= 32 && t <= LaunchGeometry.MAX_THREADS);
            }
        }
    }

    @Test
    void gridStrideLaunchesAreCappedPerSm() {
        assertEquals(1, LaunchGeometry.gridBlocks(0, 256, 132));
        assertEquals(4, LaunchGeometry.gridBlocks(1000, 256, 132));
        assertEquals(132 * LaunchGeometry.BLOCKS_PER_SM, LaunchGeometry.gridBlocks(1L << 40, 256, 132));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.gridBlocks(10, 0, 1));
    }

    @Test
    void tilesFitTheBudgetAndMatchTheKernelLayout() {
        // 32x32, cut 15, fused: z 1800 B, x table 1920 B, all 32 rows 3840 B
        LaunchGeometry.Tile t = LaunchGeometry.tile(15, 32, 32, true, LaunchGeometry.SHARED_BUDGET);
        assertTrue(t.sharedBx());
        assertEquals(32, t.rowTile());
        assertEquals(8 * 15 * 15 + 4 * 15 * 32 + 8 * 15 * 32, t.sharedBytes());
        // 224x224, cut 30: the table fits with 28 rows a tile
        t = LaunchGeometry.tile(30, 224, 224, true, LaunchGeometry.SHARED_BUDGET);
        assertTrue(t.sharedBx());
        assertEquals((LaunchGeometry.SHARED_BUDGET - 8 * 900 - 4 * 30 * 224) / (8 * 30), t.rowTile());
        assertTrue(t.sharedBytes() <= LaunchGeometry.SHARED_BUDGET);
        // a wide image: the table does not fit, rows still do
        t = LaunchGeometry.tile(30, 64, 2000, false, LaunchGeometry.SHARED_BUDGET);
        assertFalse(t.sharedBx());
        assertEquals(64, t.rowTile());
        // coefficients alone beyond the budget: staged path
        assertNull(LaunchGeometry.tile(72, 8, 8, true, LaunchGeometry.SHARED_BUDGET));
        for (int cut = 1; cut <= 70; cut += 3) {
            for (int n : new int[] {1, 17, 224, 1024}) {
                LaunchGeometry.Tile u = LaunchGeometry.tile(cut, n, n, true, LaunchGeometry.SHARED_BUDGET);
                if (u != null) {
                    assertTrue(u.sharedBytes() <= LaunchGeometry.SHARED_BUDGET && u.rowTile() >= 1 && u.rowTile() <= n,
                            cut + " " + n + ": " + u);
                }
            }
        }
    }

    @Test
    void chunksCoverTheBatch() {
        assertEquals(100, LaunchGeometry.samplesPerChunk(24_576, 1L << 30, 100));
        assertEquals(1, LaunchGeometry.samplesPerChunk(1L << 31, 1L << 30, 100)); // one sample larger than the budget
        assertEquals(42, LaunchGeometry.samplesPerChunk(1000, 42_999, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.samplesPerChunk(0, 1, 1));
    }

    @Test
    void kernelModulesAreNamedAfterTheirFiles() {
        assertEquals("deform", new Launch("diffeo_deform", 1, 32, 0, java.util.List.of()).module());
        assertEquals("deform", new Launch("diffeo_deform_bilinear", 1, 32, 0, java.util.List.of()).module());
        assertEquals("remap", new Launch(CudaBackend.kernelFor("diffeo_remap", org.diffeo4j.interp.Interpolation.NEAREST, 3), 1, 32, 0,
                java.util.List.of()).module());
        assertEquals("diffeo_deform_gaussian", CudaBackend.kernelFor("diffeo_deform", org.diffeo4j.interp.Interpolation.GAUSSIAN, 2));
        assertEquals("diffeo_deform_gaussian", CudaBackend.kernelFor("diffeo_deform", org.diffeo4j.interp.Interpolation.GAUSSIAN, 3));
        assertEquals("diffeo_deform_bilinear_c1", CudaBackend.kernelFor("diffeo_deform", org.diffeo4j.interp.Interpolation.BILINEAR, 1));
        assertEquals("diffeo_remap_nearest_c3", CudaBackend.kernelFor("diffeo_remap", org.diffeo4j.interp.Interpolation.NEAREST, 3));
        assertThrows(IllegalArgumentException.class, () -> new Launch("diffeo_deform", 0, 32, 0, java.util.List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Launch("diffeo_deform", 1, 512, 0, java.util.List.of()));
        assertEquals(Kernels.MODULES.size(), Kernels.MODULES.stream().distinct().count());
    }
}
