package org.diffeo4j.cuda;

/**
 * Block sizes, grids, shared-memory tiles and batch chunks of the kernels: pure arithmetic, unit
 * tested without a GPU, and the one place that knows the kernels' shared-memory layouts.
 */
final class LaunchGeometry {
    /** Largest block (DIFFEO_MAX_THREADS in kernel_common.cuh sizes the reduction scratch with it). */
    static final int MAX_THREADS = 256;
    /**
     * Dynamic shared memory a block asks for at most: every CUDA GPU gives a block 48 KB without
     * opting in; the static part (the 4 KB scratch of the block sums) fits in the rest.
     */
    static final int SHARED_BUDGET = 40 * 1024;
    /** Blocks per SM of grid-stride launches: enough to hide latency, few enough to stay cheap. */
    static final int BLOCKS_PER_SM = 32;
    /** Rows a tile must hold for the x table to earn its place in shared memory. */
    static final int MIN_ROWS_WITH_TABLE = 8;

    private LaunchGeometry() {
    }

    /**
     * Threads of a one-block-per-sample reduction (noise, distances): about four elements per thread,
     * a power of two in [32, MAX_THREADS] (the block sums need a power of two; 32 is one warp).
     */
    static int sampleThreads(long items) {
        return powerOfTwoThreads(items, 4);
    }

    /**
     * Threads of the synthesis kernels (fused deform, synthesize): about eight pixels per thread, so
     * 128 for 32 x 32. Measured on an H100 (docs/BENCHMARKS.md, 2026-11-24): 32 x 32 x 3 deform ran
     * 15% faster at eight pixels a thread than at four, the same at sixteen; a block's barriers and
     * its draw of 114 Philox blocks keep fewer threads busier.
     */
    static int synthesisThreads(long pixels) {
        return powerOfTwoThreads(pixels, 8);
    }

    private static int powerOfTwoThreads(long items, int perThread) {
        long want = Math.max(32, Math.min(MAX_THREADS, (items + perThread - 1) / perThread));
        int p = Integer.highestOneBit((int) want);
        return p == want ? p : Math.min(MAX_THREADS, p << 1);
    }

    /** Blocks of a grid-stride launch over {@code items}: all that are needed, at most BLOCKS_PER_SM per SM. */
    static int gridBlocks(long items, int threads, int multiprocessors) {
        if (items < 0 || threads < 1 || multiprocessors < 1) {
            throw new IllegalArgumentException("items >= 0, threads >= 1, multiprocessors >= 1; found " + items
                    + ", " + threads + ", " + multiprocessors);
        }
        long need = (items + threads - 1) / threads;
        return (int) Math.max(1, Math.min(need, (long) multiprocessors * BLOCKS_PER_SM));
    }

    /**
     * The shared memory of the synthesis kernels: optionally both coefficient grids (the fused
     * deform draws into shared memory), optionally the x sine table, and the first products of
     * {@code rowTile} rows of both fields.
     *
     * @param sharedBx whether the x table is staged in shared memory
     * @param rowTile rows of the first product held at once, 1 .. height
     * @param sharedBytes dynamic shared memory of the launch
     */
    record Tile(boolean sharedBx, int rowTile, int sharedBytes) {
    }

    /**
     * The tile for (cut, height, width) within {@code budget} bytes, or null when not even one row
     * fits (then the caller takes the staged path, coefficients in global memory).
     * Layout (deform.cu, synthesize.cu): [2 c^2 z floats if coefficientsShared][c w table floats if
     * sharedBx][2 c rowTile A floats].
     */
    static Tile tile(int cut, int height, int width, boolean coefficientsShared, int budget) {
        long z = coefficientsShared ? 8L * cut * cut : 0;
        long table = 4L * cut * width, perRow = 8L * cut;
        long withTable = budget - z - table;
        if (withTable >= perRow * Math.min(height, MIN_ROWS_WITH_TABLE)) {
            int rows = (int) Math.min(height, withTable / perRow);
            return new Tile(true, rows, (int) (z + table + perRow * rows));
        }
        long without = budget - z;
        if (without >= perRow) {
            int rows = (int) Math.min(height, without / perRow);
            return new Tile(false, rows, (int) (z + perRow * rows));
        }
        return null;
    }

    /** Samples per chunk when each needs {@code bytesPerSample} of device memory and {@code budget} is available. */
    static int samplesPerChunk(long bytesPerSample, long budget, int count) {
        if (bytesPerSample < 1) {
            throw new IllegalArgumentException("bytesPerSample must be >= 1, found " + bytesPerSample);
        }
        return (int) Math.max(1, Math.min(count, budget / bytesPerSample));
    }
}
