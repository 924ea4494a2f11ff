// kernel_common.cuh — what the kernels share beyond the per-pixel math of diffeo_math.cuh: the
// block-level routines (one sample's coefficient draw, the row tiles of the separable synthesis,
// block reductions) and the few macros that let one .cu source compile for the GPU (nvcc) and for
// the CPU emulator of the tests (src/test/cpp/cuda_emu.h, g++), so that every build checks the
// kernels' indexing, tiling and arguments against the Java reference without a GPU.
//
// Operation order follows the native backend (cpu_kernels.h), which follows FieldSynthesis:
// first product in double, second in float summed over i ascending, fields above
// DIFFEO_FLOAT_LIMIT_PIXELS rms in double throughout. Build with -fmad=false for the CPU's rounding.
#ifndef DIFFEO_KERNEL_COMMON_CUH
#define DIFFEO_KERNEL_COMMON_CUH

#include "diffeo_math.cuh"

#ifdef __CUDACC__
#define DIFFEO_D __device__ inline
#define DIFFEO_DYNAMIC_SHARED(type, name) extern __shared__ __align__(16) type name[]
#else
#define DIFFEO_D inline
#define DIFFEO_DYNAMIC_SHARED(type, name) type* name = (type*)emu_dynamic_shared()
#endif

/** Largest block the host launches (LaunchGeometry.MAX_THREADS): sizes the reduction scratch. */
#define DIFFEO_MAX_THREADS 256

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

/** A[i][y] = (float)(scale * sum_j (w_ij z_ij) by_j(y)), in double, zero weights skipped. */
DIFFEO_D float first_product(const double* weights, const double* by_d, const float* z, int cut, int h, double scale,
                             int i, int y) {
    double acc = 0.0;
    for (int j = 0; j < cut; j++) {
        double wij = weights[i * cut + j];
        if (wij == 0) continue;
        double cz = wij * (double)z[i * cut + j];
        acc += cz * by_d[j * h + y];
    }
    return (float)(scale * acc);
}

/** out[y][x] = sum_i A[i][y] bx_i(x) in float, i ascending, zero A skipped; a is one row tile [cut][rows]. */
DIFFEO_D float second_product(const float* a, int rows, int yy, const float* bx, int w, int x, int cut) {
    float sum = 0.0f;
    for (int i = 0; i < cut; i++) {
        float ai = a[i * rows + yy];
        if (ai == 0.0f) continue;
        sum += ai * bx[i * w + x];
    }
    return sum;
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

/** Remap of one output pixel (all channels) by interpolation 0 bilinear, 1 gaussian, 2 nearest. */
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

/**
 * Synthesis of one sample's field pair by row tiles, handing each pixel's (dx, dy) to sink(x, y, dx, dy).
 * zu, zv: the sample's coefficients (shared or global); a: 2 * cut * row_tile floats of shared memory;
 * bx: the x table (shared or global); exact: the per-field path flags from block_paths.
 * Every thread of the block calls it (it has barriers).
 */
template <typename Sink>
DIFFEO_D void block_synthesize(const Tables& t, const float* bx, const float* zu, const float* zv, int cut, int h,
                               int w, double scale_x, double scale_y, const int* exact, float* a, int row_tile,
                               Sink& sink) {
    float* au = a;
    float* av = a + cut * row_tile;
    for (int y0 = 0; y0 < h; y0 += row_tile) {
        const int rows = imin(row_tile, h - y0), per = cut * rows;
        for (int item = threadIdx.x; item < 2 * per; item += blockDim.x) {
            const int field = item < per ? 0 : 1, r = item - field * per, i = r / rows, yy = r - i * rows;
            if (exact[field]) continue;
            (field == 0 ? au : av)[r] = first_product(t.weights, t.by_d, field == 0 ? zu : zv, cut, h,
                                                      field == 0 ? scale_x : scale_y, i, y0 + yy);
        }
        __syncthreads();
        for (int p = threadIdx.x; p < rows * w; p += blockDim.x) {
            const int yy = p / w, x = p - yy * w, y = y0 + yy;
            float dx = exact[0] ? field_exact(t.weights, t.bx_e, t.by_e, zu, cut, h, w, scale_x, y, x)
                                : second_product(au, rows, yy, bx, w, x, cut);
            float dy = exact[1] ? field_exact(t.weights, t.bx_e, t.by_e, zv, cut, h, w, scale_y, y, x)
                                : second_product(av, rows, yy, bx, w, x, cut);
            sink(x, y, dx, dy);
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

/** Two block sums at once (one set of barriers); red holds 2 * DIFFEO_MAX_THREADS doubles. */
DIFFEO_D void block_sum2(double* a, double* b, double* red) {
    double* rb = red + DIFFEO_MAX_THREADS;
    red[threadIdx.x] = *a;
    rb[threadIdx.x] = *b;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s) {
            red[threadIdx.x] += red[threadIdx.x + s];
            rb[threadIdx.x] += rb[threadIdx.x + s];
        }
        __syncthreads();
    }
    *a = red[0];
    *b = rb[0];
    __syncthreads(); // red is reused by the next call
}

/**
 * Sets exact[0], exact[1] (thread-local, equal in every thread) for one sample: whether each field
 * exceeds DIFFEO_FLOAT_LIMIT_PIXELS rms. The sums of (w z)^2 are block sums, in another order than
 * Java's loop: that moves the rms by ~1e-16 relative, which could flip the path only for a field
 * within that of 4 px, where both paths agree to ~1e-6 px anyway. A serial sum by one thread
 * would stall the block for c^2 dependent double operations per sample.
 */
DIFFEO_D void block_paths(const double* weights, const float* zu, const float* zv, int cut, double scale_x,
                          double scale_y, double* red, int* exact) {
    double su = 0, sv = 0;
    for (int k = threadIdx.x; k < cut * cut; k += blockDim.x) {
        double u = weights[k] * (double)zu[k], v = weights[k] * (double)zv[k];
        su += u * u;
        sv += v * v;
    }
    block_sum2(&su, &sv, red);
    exact[0] = fabs(scale_x) * sqrt(su) / 2 > DIFFEO_FLOAT_LIMIT_PIXELS;
    exact[1] = fabs(scale_y) * sqrt(sv) / 2 > DIFFEO_FLOAT_LIMIT_PIXELS;
}

/** Copies the x table to shared memory when the host gave room for it (shared_bx); returns the table to read. */
DIFFEO_D const float* stage_bx(const float* bx, int cut, int w, int shared_bx, float* room) {
    if (!shared_bx) return bx;
    for (int k = threadIdx.x; k < cut * w; k += blockDim.x) room[k] = bx[k];
    return room; // published by the caller's next barrier
}

} // namespace diffeo

#endif // DIFFEO_KERNEL_COMMON_CUH
