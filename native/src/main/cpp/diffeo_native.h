// diffeo_native.h — batch entry points of the native CPU backend, called from Java through the JNI
// that JavaCPP generates for org.diffeo4j.cpu.DiffeoNative (one translation unit: this header and
// what it includes are compiled into libjnidiffeo4j.so).
//
// Layouts (as core): images NCHW float, fields [N][h][w] float, coefficients [N][c][c] float in the
// grid layout (i-1)*c + (j-1). Sample k of a call draws at stream address first + k, so results do
// not depend on the thread count or how a batch is split. Threads: those of the backend's
// WorkerPool (or started per call when none is given) claim contiguous chunks of samples in turn;
// each chunk gets its own scratch.
//
// Every entry point returns 0, or a negative code: -1 bad argument, -2 out of memory, -3 thread
// failure. The Java side validates shapes before calling; the codes are a last line of defence.
#ifndef DIFFEO_NATIVE_H
#define DIFFEO_NATIVE_H

#include <stdint.h>
#include <algorithm>
#include <cstring>
#include <atomic>
#include <exception>
#include <immintrin.h>
#include <new>
#include <thread>
#include <vector>

#include "diffeo_math.cuh" // cuda-kernels/src/main/cuda, on the include path (native/pom.xml cuda.headers)
#include "worker_pool.h"

namespace diffeo {

/** What every sample of a call shares: sizes, mode weights and sine tables (read-only). */
struct Plan {
    int cut = 1, h = 1, w = 1;
    double scale_x = 0, scale_y = 0; // width * sqrt(T), height * sqrt(T) (dx = n tau_u)
    std::vector<double> weight_v, by_v, bx_exact_v, by_exact_v;
    std::vector<float> bx_v;
    const double* weights = nullptr; // c*c mode weights, zero outside the disc
    const double* by_d = nullptr;    // c*h sine table along y, as double (exact widening of the float table)
    const float* bx = nullptr;       // c*w sine table along x
    const double* bx_e = nullptr;    // c*w and c*h tables computed in double, for large fields
    const double* by_e = nullptr;

    /**
     * dx_derivative / dy_derivative: use d/da sin(pi i a/(n-1)) (sine_derivative) along x / y
     * instead of the sine, for the partial derivatives of the Jacobian (Jacobian.determinant).
     */
    Plan(int cut_, double temperature, int h_, int w_, bool dx_derivative = false, bool dy_derivative = false)
        : cut(cut_), h(h_), w(w_) {
        double root = sqrt(temperature);
        scale_x = w * root;
        scale_y = h * root;
        weight_v.resize((size_t)cut * cut);
        for (int i = 1; i <= cut; i++)
            for (int j = 1; j <= cut; j++) weight_v[(i - 1) * cut + (j - 1)] = mode_weight(cut, i, j);
        by_v.resize((size_t)cut * h);
        bx_v.resize((size_t)cut * w);
        for (int i = 1; i <= cut; i++) {
            for (int a = 0; a < h; a++)
                by_v[(i - 1) * h + a] = (double)(dy_derivative ? sine_derivative(h, i, a) : sine_basis(h, i, a));
            for (int a = 0; a < w; a++) bx_v[(i - 1) * w + a] = dx_derivative ? sine_derivative(w, i, a) : sine_basis(w, i, a);
        }
        bx_exact_v.resize((size_t)cut * w);
        by_exact_v.resize((size_t)cut * h);
        for (int i = 1; i <= cut; i++) {
            for (int a = 0; a < w; a++) bx_exact_v[(i - 1) * w + a] = sine_basis_exact(w, i, a, dx_derivative);
            for (int a = 0; a < h; a++) by_exact_v[(i - 1) * h + a] = sine_basis_exact(h, i, a, dy_derivative);
        }
        weights = weight_v.data();
        by_d = by_v.data();
        bx = bx_v.data();
        bx_e = bx_exact_v.data();
        by_e = by_exact_v.data();
    }
};

/** Working memory of the fused pipeline, allocated once per chunk of samples. */
struct Scratch {
    std::vector<double> normals_v, acc_v, a_exact_v, row_exact_v;
    std::vector<uint32_t> words_v;
    std::vector<int> js_v; // indices of the modes in the disc, one row i at a time
    std::vector<float> z_v, a_v, field_v;
    double *normals, *acc, *a_exact, *row_exact;
    uint32_t* words;
    int* js;
    float *zu, *zv, *a, *dx, *dy;

    explicit Scratch(const Plan& p) {
        size_t cc = (size_t)p.cut * p.cut, plane = (size_t)p.h * p.w;
        normals_v.resize(cc + 16); // blocks are drawn in fours: at most cc + 15 words and normals
        words_v.resize(cc + 16);
        words = words_v.data();
        acc_v.resize(std::max(p.h, p.cut));
        js_v.resize(p.cut);
        js = js_v.data();
        z_v.resize(2 * cc);
        a_v.resize((size_t)p.cut * p.h);
        field_v.resize(2 * plane);
        a_exact_v.resize((size_t)p.cut * p.h);
        row_exact_v.resize(p.w);
        normals = normals_v.data();
        acc = acc_v.data();
        a_exact = a_exact_v.data();
        row_exact = row_exact_v.data();
        zu = z_v.data();
        zv = zu + cc;
        a = a_v.data();
        dx = field_v.data();
        dy = dx + plane;
    }
};

} // namespace diffeo

// The kernels twice: AVX2+FMA code generation, then the baseline x86-64 (SSE2) one.
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define DIFFEO_KNS avx2
#define DIFFEO_AVX2 1
#include "cpu_kernels.h"
#undef DIFFEO_AVX2
#undef DIFFEO_KNS
#pragma GCC pop_options
#define DIFFEO_KNS generic
#include "cpu_kernels.h"
#undef DIFFEO_KNS

namespace diffeo {

/** 2 when the CPU has AVX2 and FMA, else 0. */
inline int best_simd() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 2 : 0;
}

/** The level to run: the requested one (-1 = best), never above what the CPU has. */
inline int pick_simd(int requested) {
    int best = best_simd();
    return requested < 0 || requested > best ? best : (requested >= 2 ? 2 : 0);
}

/**
 * Runs body(from, to) over [0, count) on `threads` threads: those of `pool` (capped by `threads`),
 * or, without a pool, std::threads started for this call; the caller's thread is one of them.
 * The samples are cut into about 8 contiguous chunks per thread that threads claim in turn, so a
 * thread slowed by another process does not hold up the rest. Which thread computes a sample never
 * changes its bits. Any exception becomes an error code.
 */
template <typename Body>
int run_ranges(WorkerPool* pool, int count, int threads, Body body) {
    if (pool != nullptr) threads = std::min(threads, pool->threads());
    threads = std::max(1, std::min(threads, count));
    const int chunks = std::min(count, threads * 8);
    std::atomic<int> next{0};
    std::vector<int> status(threads, 0);
    auto guarded = [&](int t) {
        try {
            for (int c; (c = next.fetch_add(1)) < chunks;)
                body((int)((int64_t)count * c / chunks), (int)((int64_t)count * (c + 1) / chunks));
        } catch (const std::bad_alloc&) {
            status[t] = -2;
        } catch (...) {
            status[t] = -3;
        }
    };
    int rc = 0;
    if (pool != nullptr && threads > 1) {
        try {
            pool->run(threads, guarded);
        } catch (...) {
            return -3;
        }
    } else {
        std::vector<std::thread> started;
        try {
            for (int t = 1; t < threads; t++) started.emplace_back(guarded, t);
        } catch (...) {
            // fewer threads than asked: the ones running claim every chunk all the same
        }
        guarded(0); // claims whatever chunks threads that failed to start left
        for (auto& th : started) th.join();
    }
    for (int s : status) rc = rc != 0 ? rc : s;
    return rc;
}

} // namespace diffeo

/** 2 when the AVX2/FMA kernels run on this CPU, 0 for the generic ones. */
inline int diffeo_simd_level() {
    return diffeo::best_simd();
}

/** The normal at (seed, sample, stream, element) from the header (Normals.at), for tests. */
inline double diffeo_normal_at(long long seed, long long sample, int stream, int element) {
    return diffeo::normal_at((uint64_t)seed, (uint64_t)sample, (uint32_t)stream, (uint32_t)element);
}

/** DIFFEO_FLOAT_LIMIT_PIXELS of diffeo_math.cuh, for the test that it is FieldSynthesis.FLOAT_LIMIT_PIXELS. */
inline double diffeo_float_limit_pixels() {
    return DIFFEO_FLOAT_LIMIT_PIXELS;
}

/** field_rms of one c x c coefficient grid at `scale` (FieldSynthesis.rmsSize), for tests; NaN for a bad cut. */
inline double diffeo_field_rms(const float* z, int cut, double scale) {
    if (cut < 1) return NAN;
    std::vector<double> weights((size_t)cut * cut);
    for (int i = 1; i <= cut; i++)
        for (int j = 1; j <= cut; j++) weights[(i - 1) * cut + (j - 1)] = diffeo::mode_weight(cut, i, j);
    return diffeo::field_rms(scale, diffeo::field_energy(weights.data(), z, cut));
}

/** 1 when large_field sends that grid to the double path (FieldSynthesis.isLarge), else 0; -1 for a bad cut. */
inline int diffeo_large_field(const float* z, int cut, double scale) {
    if (cut < 1) return -1;
    std::vector<double> weights((size_t)cut * cut);
    for (int i = 1; i <= cut; i++)
        for (int j = 1; j <= cut; j++) weights[(i - 1) * cut + (j - 1)] = diffeo::mode_weight(cut, i, j);
    return diffeo::large_field(scale, diffeo::field_energy(weights.data(), z, cut)) ? 1 : 0;
}

/** Starts a pool of threads - 1 workers; returns its handle, 0 on failure. `pool` arguments take it (0: none). */
inline long long diffeo_pool_create(int threads) {
    try {
        return (long long)new diffeo::WorkerPool(std::max(1, threads));
    } catch (...) {
        return 0;
    }
}

/** Stops and frees a pool; the handle is dead afterwards. No call may be using it. */
inline void diffeo_pool_destroy(long long pool) {
    delete (diffeo::WorkerPool*)pool;
}

/** Coefficients of samples first .. first+count-1 (CoefficientBatch.draw): zu, zv [count][c][c]. */
inline int diffeo_draw(float* zu, float* zv, int count, int cut, long long seed, long long first, int simd) {
    if (count < 0 || cut < 1) return -1;
    try {
        std::vector<double> normals((size_t)cut * cut + 16);
        std::vector<uint32_t> words((size_t)cut * cut + 16);
        const size_t per = (size_t)cut * cut;
        const bool avx2 = diffeo::pick_simd(simd) == 2;
        for (int k = 0; k < count; k++) {
            for (uint32_t stream : {diffeo::STREAM_U, diffeo::STREAM_V}) {
                float* z = (stream == diffeo::STREAM_U ? zu : zv) + k * per;
                if (avx2) diffeo::avx2::draw_field(cut, (uint64_t)seed, (uint64_t)first + k, stream, normals.data(), words.data(), z);
                else diffeo::generic::draw_field(cut, (uint64_t)seed, (uint64_t)first + k, stream, normals.data(), words.data(), z);
            }
        }
        return 0;
    } catch (...) {
        return -2;
    }
}

// The batch entry points below work on samples [skip, skip + count) of their arrays, so that Java
// can cut a large heap batch into short calls without copying; sample skip + k of a deform draws
// at stream address first + k.

/** Fields dx, dy [count][h][w] of the coefficients zu, zv at temperature T (FieldSynthesis). */
inline int diffeo_synthesize(const float* zu, const float* zv, float* dx, float* dy, int skip, int count, int cut,
                             double temperature, int h, int w, int threads, int simd, long long pool) {
    if (skip < 0 || count < 0 || cut < 1 || h < 1 || w < 1 || !(temperature >= 0)) return -1;
    if (count == 0) return 0;
    const size_t cc = (size_t)cut * cut * skip, plane = (size_t)h * w * skip;
    zu += cc, zv += cc, dx += plane, dy += plane;
    try {
        diffeo::Plan plan(cut, temperature, h, w);
        bool avx2 = diffeo::pick_simd(simd) == 2;
        return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
            diffeo::Scratch s(plan);
            if (avx2) diffeo::avx2::synthesize_range(plan, s, zu, zv, dx, dy, from, to);
            else diffeo::generic::synthesize_range(plan, s, zu, zv, dx, dy, from, to);
        });
    } catch (...) {
        return -2;
    }
}

/** Remap of images in [count][channels][h][w] through fields dx, dy into out (Remap.sample). */
inline int diffeo_remap(const float* in, const float* dx, const float* dy, float* out, int skip, int count,
                        int channels, int h, int w, int interp, int threads, int simd, long long pool) {
    if (skip < 0 || count < 0 || channels < 1 || h < 1 || w < 1 || interp < 0 || interp > 2) return -1;
    if (count == 0) return 0;
    const size_t plane = (size_t)h * w * skip, size = plane * channels;
    in += size, out += size, dx += plane, dy += plane;
    bool avx2 = diffeo::pick_simd(simd) == 2;
    return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
        if (avx2) diffeo::avx2::remap_range(in, dx, dy, out, channels, h, w, interp, from, to);
        else diffeo::generic::remap_range(in, dx, dy, out, channels, h, w, interp, from, to);
    });
}

/** Fused deform: per sample draw at (seed, first + k), synthesis and remap (DiffeoBackend.deform). */
inline int diffeo_deform(const float* in, float* out, int skip, int count, int channels, int h, int w, int cut,
                         double temperature, int interp, long long seed, long long first, int threads, int simd,
                         long long pool) {
    if (skip < 0 || count < 0 || channels < 1 || h < 1 || w < 1 || cut < 1 || !(temperature >= 0) || interp < 0 ||
        interp > 2)
        return -1;
    if (count == 0) return 0;
    const size_t size = (size_t)channels * h * w * skip;
    in += size, out += size;
    try {
        diffeo::Plan plan(cut, temperature, h, w);
        bool avx2 = diffeo::pick_simd(simd) == 2;
        return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
            diffeo::Scratch s(plan);
            if (avx2) diffeo::avx2::deform_range(plan, s, in, out, channels, interp, (uint64_t)seed, (uint64_t)first, from, to);
            else diffeo::generic::deform_range(plan, s, in, out, channels, interp, (uint64_t)seed, (uint64_t)first, from, to);
        });
    } catch (...) {
        return -2;
    }
}

/**
 * The noise of G_f (stability.Noise): out = clean + g / ||g|| * ||deformed - clean|| per sample of size floats,
 * sample skip + k drawn at (seed, first + k). out may be deformed.
 */
inline int diffeo_noise(const float* clean, const float* deformed, float* out, int skip, int count, int size,
                        long long seed, long long first, int threads, int simd, long long pool) {
    if (skip < 0 || count < 0 || size < 1) return -1;
    if (count == 0) return 0;
    const size_t off = (size_t)size * skip;
    clean += off, deformed += off, out += off;
    try {
        const bool avx2 = diffeo::pick_simd(simd) == 2;
        return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
            std::vector<double> g((size_t)size + 32);
            std::vector<uint32_t> words((size_t)size + 32);
            if (avx2) diffeo::avx2::noise_range(clean, deformed, out, size, (uint64_t)seed, (uint64_t)first, g.data(), words.data(), from, to);
            else diffeo::generic::noise_range(clean, deformed, out, size, (uint64_t)seed, (uint64_t)first, g.data(), words.data(), from, to);
        });
    } catch (...) {
        return -2;
    }
}

/** out[k] = ||a_k - b_k||^2 (double) for samples skip + k of size floats; out is indexed from skip too. */
inline int diffeo_distances(const float* a, const float* b, double* out, int skip, int count, int size, int threads,
                            int simd, long long pool) {
    if (skip < 0 || count < 0 || size < 1) return -1;
    if (count == 0) return 0;
    const size_t off = (size_t)size * skip;
    a += off, b += off, out += skip;
    const bool avx2 = diffeo::pick_simd(simd) == 2;
    return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
        if (avx2) diffeo::avx2::distance_range(a, b, out, size, from, to);
        else diffeo::generic::distance_range(a, b, out, size, from, to);
    });
}

/**
 * det(I - grad tau) at every pixel of every sample (Jacobian.determinant, Appendix B): the four
 * partial derivatives synthesised from the coefficients with derivative tables, combined by
 * jacobian_det. det: [count][h][w], overwritten.
 */
inline int diffeo_jacobian(const float* zu, const float* zv, float* det, int skip, int count, int cut,
                           double temperature, int h, int w, int threads, int simd, long long pool) {
    if (skip < 0 || count < 0 || cut < 1 || h < 1 || w < 1 || !(temperature >= 0)) return -1;
    if (count == 0) return 0;
    const size_t cc = (size_t)cut * cut, plane = (size_t)h * w;
    zu += cc * skip, zv += cc * skip, det += plane * skip;
    try {
        const diffeo::Plan along_x(cut, temperature, h, w, true, false), along_y(cut, temperature, h, w, false, true);
        const bool avx2 = diffeo::pick_simd(simd) == 2;
        return diffeo::run_ranges((diffeo::WorkerPool*)pool, count, threads, [&](int from, int to) {
            diffeo::Scratch s(along_x); // dx, dy hold u_x, v_x; two more planes hold u_y, v_y
            std::vector<float> uy(plane), vy(plane);
            for (int k = from; k < to; k++) {
                const float *u = zu + k * cc, *v = zv + k * cc;
                if (avx2) {
                    diffeo::avx2::synthesize_field(along_x, s, u, along_x.scale_x, s.dx);
                    diffeo::avx2::synthesize_field(along_y, s, u, along_y.scale_x, uy.data());
                    diffeo::avx2::synthesize_field(along_x, s, v, along_x.scale_y, s.dy);
                    diffeo::avx2::synthesize_field(along_y, s, v, along_y.scale_y, vy.data());
                } else {
                    diffeo::generic::synthesize_field(along_x, s, u, along_x.scale_x, s.dx);
                    diffeo::generic::synthesize_field(along_y, s, u, along_y.scale_x, uy.data());
                    diffeo::generic::synthesize_field(along_x, s, v, along_x.scale_y, s.dy);
                    diffeo::generic::synthesize_field(along_y, s, v, along_y.scale_y, vy.data());
                }
                float* d = det + k * plane;
                for (size_t q = 0; q < plane; q++) d[q] = diffeo::jacobian_det(s.dx[q], uy[q], s.dy[q], vy[q]);
            }
        });
    } catch (...) {
        return -2;
    }
}

#endif // DIFFEO_NATIVE_H
