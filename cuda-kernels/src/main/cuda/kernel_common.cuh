// kernel_common.cuh — what the kernels share beyond the per-pixel math of diffeo_math.cuh: the
// block-level routines (one sample's coefficient draw, the row tiles of the separable synthesis,
// block reductions) and the few macros that let one .cu source compile for the GPU (nvcc) and for
// the CPU emulator of the tests (src/test/cpp/cuda_emu.h, g++), so that every build checks the
// kernels' indexing, tiling and arguments against the Java reference without a GPU.
//
// Operation order follows the native backend (cpu_kernels.h), which follows FieldSynthesis:
// first product in double, second in float summed over i ascending, fields that large_field calls
// large in double throughout. Build with -fmad=false for the CPU's rounding. Compiled by g++ for the
// emulator, these kernels give the Java backend's bits (EmulatedExactTest); on a GPU, CUDA's
// sin/cos/log/exp and the block-sum order of block_paths make the twin tolerance the judge.
#ifndef DIFFEO_KERNEL_COMMON_CUH
#define DIFFEO_KERNEL_COMMON_CUH

#include "diffeo_math.cuh"

#ifdef __CUDACC__
#define DIFFEO_D __device__ inline
#define DIFFEO_DYNAMIC_SHARED(type, name) extern __shared__ __align__(16) type name[]
#define DIFFEO_PRAGMA(x) _Pragma(#x)
#define DIFFEO_UNROLL(n) DIFFEO_PRAGMA(unroll n) // loop unrolling for nvcc; nothing for the emulator
#else
#define DIFFEO_D inline
#define DIFFEO_DYNAMIC_SHARED(type, name) type* name = (type*)emu_dynamic_shared()
#define DIFFEO_UNROLL(n)
#endif

/** Largest block the host launches (LaunchGeometry.MAX_THREADS): sizes the reduction scratch. */
#define DIFFEO_MAX_THREADS 256

/**
 * Blocks of DIFFEO_MAX_THREADS per SM the one-block-per-sample kernels are compiled for (registers
 * capped at 65536 / (256 * this)): without the cap the fused deform took 96 registers, two blocks per
 * SM, and latency the barriers of one sample could not hide.
 */
#ifndef DIFFEO_MIN_BLOCKS
#define DIFFEO_MIN_BLOCKS 4
#endif
#ifdef __CUDACC__
#define DIFFEO_SAMPLE_KERNEL extern "C" __global__ void __launch_bounds__(DIFFEO_MAX_THREADS, DIFFEO_MIN_BLOCKS)
#else
#define DIFFEO_SAMPLE_KERNEL extern "C" __global__ void
#endif

namespace diffeo {

DIFFEO_D int imin(int a, int b) {
    return a < b ? a : b;
}

/**
 * The four normals of Philox block b of one stream, scattered to the c x c grid (i-1)*c + (j-1)
 * through element_mode and rounded to float; modes outside the disc get 0 (CoefficientBatch).
 */
DIFFEO_D void draw_philox_block(int cut, uint64_t seed, uint64_t sample, int stream, int b, float* z) {
    double n[4];
    normal_block(seed, sample, (uint32_t)stream, (uint32_t)b, n);
    DIFFEO_UNROLL(4) // n stays in registers
    for (int lane = 0; lane < 4; lane++) {
        int e = 4 * b + lane, i, j;
        if (e >= cut * cut) break;
        element_mode(e, &i, &j);
        z[(i - 1) * cut + (j - 1)] = mode_contains(cut, i, j) ? (float)n[lane] : 0.0f;
    }
}

/** Both coefficient grids of one sample, drawn by the whole block; ends with a barrier. */
DIFFEO_D void block_draw(int cut, uint64_t seed, uint64_t sample, float* zu, float* zv) {
    const int blocks = (cut * cut + 3) / 4;
    for (int item = threadIdx.x; item < 2 * blocks; item += blockDim.x) {
        int stream = item < blocks ? STREAM_U : STREAM_V;
        draw_philox_block(cut, seed, sample, stream, item % blocks, stream == STREAM_U ? zu : zv);
    }
    __syncthreads();
}

/** Rows of the first product one thread computes: each (w_ij z_ij) product then serves that many. */
#ifndef DIFFEO_ROWS_PER_ITEM
#define DIFFEO_ROWS_PER_ITEM 2
#endif

/**
 * Both fields' A[i][y] = (float)(scale * sum_j (w_ij z_ij) by_j(y)), in double, j ascending, for the
 * n <= DIFFEO_ROWS_PER_ITEM rows y, y + g, y + 2g, ... of one row tile: weights, zu, zv point at row i
 * of the coefficients, by at column y of the c x h table, au and av at [i][y] of the tile (stride g
 * between the rows). The CPU skips terms of zero weight; here they are added as +-0, which leaves
 * every finite sum's bits as they are (the sum starts at +0 and x + (+-0) = x, +0 + -0 = +0) and
 * keeps the loop free of branches. Each output gets the same operations in the same order as on the
 * CPU; only the (w_ij z_ij) products are shared, by both fields' loads and by the n rows (profile of
 * 2026-11-24: the first product was the largest block of instructions).
 */
DIFFEO_D void first_products(const double* weights, const double* by, int h, int g, int n, const float* zu,
                             const float* zv, int cut, double scale_x, double scale_y, float* au, float* av) {
    double su[DIFFEO_ROWS_PER_ITEM] = {}, sv[DIFFEO_ROWS_PER_ITEM] = {};
    for (int j = 0; j < cut; j++) {
        const double wj = weights[j];
        const double cu = wj * (double)zu[j], cv = wj * (double)zv[j];
        const double* b = by + j * h;
        DIFFEO_UNROLL(4)
        for (int k = 0; k < DIFFEO_ROWS_PER_ITEM; k++) {
            if (k < n) {
                const double bk = b[k * g];
                su[k] += cu * bk;
                sv[k] += cv * bk;
            }
        }
    }
    DIFFEO_UNROLL(4)
    for (int k = 0; k < DIFFEO_ROWS_PER_ITEM; k++) {
        if (k < n) {
            au[k * g] = (float)(scale_x * su[k]);
            av[k * g] = (float)(scale_y * sv[k]);
        }
    }
}

/**
 * Both fields at one pixel: sum_i A[i][y] bx_i(x) in float, i ascending (au, av at row y of a row tile
 * [cut][rows], bx at column x of the c x w table). Zero A terms are added, not skipped, as above.
 */
DIFFEO_D void second_products(const float* au, const float* av, int rows, const float* bx, int w, int cut, float* u,
                              float* v) {
    float su = 0.0f, sv = 0.0f;
    DIFFEO_UNROLL(4)
    for (int i = 0; i < cut; i++) {
        const float b = bx[i * w];
        su += au[i * rows] * b;
        sv += av[i * rows] * b;
    }
    *u = su;
    *v = sv;
}

/** One pixel of a field on the double path (FieldSynthesis.synthesizeExact, same order, A recomputed per pixel). */
DIFFEO_D float field_exact(const double* weights, const double* bx_e, const double* by_e, const float* z, int cut,
                           int h, int w, double scale, int y, int x) {
    double row = 0.0;
    for (int i = 0; i < cut; i++) {
        double ai = 0.0;
        for (int j = 0; j < cut; j++) {
            double wij = weights[i * cut + j];
            if (wij == 0) continue;
            double cij = scale * wij * (double)z[i * cut + j];
            ai += cij * by_e[j * h + y];
        }
        row += ai * bx_e[i * w + x];
    }
    return (float)row;
}

/**
 * Remap of one output pixel (all channels) by interpolation 0 bilinear, 1 gaussian, 2 nearest.
 * The kernels pass a constant interp (one kernel per interpolation, DIFFEO_INTERP_KERNELS), so the
 * compiler drops the other two branches and sizes registers for the one left: with all three in one
 * kernel the Gaussian's double windows cost the bilinear deform registers and spills.
 */
DIFFEO_D void remap_pixel(int interp, const float* in, int channels, int h, int w, int x, int y, float dx, float dy,
                          float* out) {
    if (interp == 0) bilinear_pixel(in, channels, h, w, x, y, dx, dy, out);
    else if (interp == 1) gaussian_pixel(in, channels, h, w, x, y, dx, dy, out);
    else nearest_pixel(in, channels, h, w, x, y, dx, dy, out);
}

/** The tables of one (cut, h, w), on the device (basis.cu fills them). */
struct Tables {
    const double* weights; // c*c, zero outside the disc
    const double* by_d;    // c*h, the float sine table along y widened to double
    const float* bx;       // c*w sine table along x (global; the kernels copy it to shared memory when it fits)
    const double* bx_e;    // c*w and c*h tables in double, for the double path
    const double* by_e;
};

/** Which fields of a sample take the double path (block_paths). */
struct Paths {
    bool u, v;
};

/**
 * Synthesis of one sample's field pair by row tiles, handing each pixel's (dx, dy) to sink(x, y, dx, dy).
 * zu, zv: the sample's coefficients (shared or global); a: 2 * cut * row_tile floats of shared memory;
 * bx: the x table (shared or global); exact: the per-field paths from block_paths.
 * Every thread of the block calls it (it has barriers). The pixel loop steps (x, y) by the block size
 * without a division per pixel.
 */
template <typename Sink>
DIFFEO_D void block_synthesize(const Tables& t, const float* bx, const float* zu, const float* zv, int cut, int h,
                               int w, double scale_x, double scale_y, Paths exact, float* a, int row_tile,
                               Sink& sink) {
    float* au = a;
    float* av = a + cut * row_tile;
    const int step_rows = (int)blockDim.x / w, step_cols = (int)blockDim.x - step_rows * w;
    for (int y0 = 0; y0 < h; y0 += row_tile) {
        const int rows = imin(row_tile, h - y0);
        if (!(exact.u && exact.v)) {
            // item (i, q) computes rows q, q + g, q + 2g, ... of row i of A (g consecutive q per i, so
            // a warp's loads of the basis are consecutive)
            const int g = (rows + DIFFEO_ROWS_PER_ITEM - 1) / DIFFEO_ROWS_PER_ITEM;
            for (int item = threadIdx.x; item < cut * g; item += blockDim.x) {
                const int i = item / g, q = item - i * g, n = imin(DIFFEO_ROWS_PER_ITEM, (rows - q + g - 1) / g);
                first_products(t.weights + i * cut, t.by_d + y0 + q, h, g, n, zu + i * cut, zv + i * cut, cut,
                               scale_x, scale_y, au + i * rows + q, av + i * rows + q);
            }
        }
        __syncthreads();
        int yy = (int)threadIdx.x / w, x = (int)threadIdx.x - yy * w;
        while (yy < rows) {
            const int y = y0 + yy;
            float u, v;
            second_products(au + yy, av + yy, rows, bx + x, w, cut, &u, &v);
            if (exact.u) u = field_exact(t.weights, t.bx_e, t.by_e, zu, cut, h, w, scale_x, y, x);
            if (exact.v) v = field_exact(t.weights, t.bx_e, t.by_e, zv, cut, h, w, scale_y, y, x);
            sink(x, y, u, v);
            x += step_cols;
            yy += step_rows;
            if (x >= w) {
                x -= w;
                yy++;
            }
        }
        __syncthreads(); // the next tile overwrites a
    }
}

/** Sum over the block of one double per thread; blockDim.x a power of two <= DIFFEO_MAX_THREADS. */
DIFFEO_D double block_sum(double v, double* red) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s) red[threadIdx.x] += red[threadIdx.x + s];
        __syncthreads();
    }
    double total = red[0];
    __syncthreads(); // red is reused by the next call
    return total;
}

/**
 * Two block sums at once in three barriers, where a tree takes log2(blockDim) + 2 (nine at 256
 * threads, each stalling the sample's block): 16 threads add a run of blockDim / 16 partials each,
 * in order, then every thread adds the 16 run sums in order. red holds 2 * DIFFEO_MAX_THREADS
 * doubles; blockDim.x a power of two in [32, DIFFEO_MAX_THREADS].
 */
DIFFEO_D void block_sum2(double* a, double* b, double* red) {
    double* rb = red + DIFFEO_MAX_THREADS;
    const int t = threadIdx.x, run = blockDim.x / 16;
    red[t] = *a;
    rb[t] = *b;
    __syncthreads();
    if (t < 16) {
        double sa = 0, sb = 0;
        for (int k = t * run; k < (t + 1) * run; k++) {
            sa += red[k];
            sb += rb[k];
        }
        red[t * run] = sa; // a slot no other thread reads in this stage
        rb[t * run] = sb;
    }
    __syncthreads();
    double sa = 0, sb = 0;
    for (int k = 0; k < 16; k++) {
        sa += red[k * run];
        sb += rb[k * run];
    }
    *a = sa;
    *b = sb;
    __syncthreads(); // red is reused by the next call
}

/**
 * Whether each field of one sample is large (large_field of diffeo_math.cuh; the same in every
 * thread). The mode_energy terms are block sums, in another order than Java's loop: that moves
 * the rms by ~1e-16 relative, which could flip the path only for a field within that of 4 px, where
 * both paths agree to ~1e-6 px anyway. A serial sum by one thread would stall the block for c^2
 * dependent double operations per sample.
 */
DIFFEO_D Paths block_paths(const double* weights, const float* zu, const float* zv, int cut, double scale_x,
                           double scale_y, double* red) {
    double su = 0, sv = 0;
    for (int k = threadIdx.x; k < cut * cut; k += blockDim.x) {
        su += mode_energy(weights[k], zu[k]);
        sv += mode_energy(weights[k], zv[k]);
    }
    block_sum2(&su, &sv, red);
    return {large_field(scale_x, su), large_field(scale_y, sv)};
}

/** Copies the x table to shared memory when the host gave room for it (shared_bx); returns the table to read. */
DIFFEO_D const float* stage_bx(const float* bx, int cut, int w, int shared_bx, float* room) {
    if (!shared_bx) return bx;
    for (int k = threadIdx.x; k < cut * w; k += blockDim.x) room[k] = bx[k];
    return room; // published by the caller's next barrier
}

} // namespace diffeo

/**
 * The extern "C" kernels of one template body: one per interpolation (NAME_bilinear, NAME_gaussian,
 * NAME_nearest: see remap_pixel); bilinear and nearest also for one and three channels
 * (NAME_bilinear_c1, _c3), where the channel loop unrolls and its addresses come from a few pointer
 * adds (the general kernel spent about 40 instructions a channel on 64-bit address arithmetic;
 * profile of 2026-11-24). The Gaussian's double-precision windows outweigh that, so it has the
 * general kernel alone. The host picks the kernel in CudaBackend.kernelFor. PARAMS is the
 * parenthesised parameter list, ARGS the parenthesised argument list handed to
 * BODY<interp, channels>, channels 0 meaning "as passed".
 */
#define DIFFEO_KERNELS_OF(QUALIFIER, NAME, BODY, PARAMS, ARGS, INTERP)                                    \
    QUALIFIER NAME PARAMS { BODY<INTERP, 0> ARGS; }                                                      \
    QUALIFIER NAME##_c1 PARAMS { BODY<INTERP, 1> ARGS; }                                                 \
    QUALIFIER NAME##_c3 PARAMS { BODY<INTERP, 3> ARGS; }
#define DIFFEO_INTERP_KERNELS(QUALIFIER, NAME, BODY, PARAMS, ARGS)                                       \
    DIFFEO_KERNELS_OF(QUALIFIER, NAME##_bilinear, BODY, PARAMS, ARGS, 0)                                 \
    QUALIFIER NAME##_gaussian PARAMS { BODY<1, 0> ARGS; }                                                \
    DIFFEO_KERNELS_OF(QUALIFIER, NAME##_nearest, BODY, PARAMS, ARGS, 2)

#endif // DIFFEO_KERNEL_COMMON_CUH
