// cpu_kernels.h — per-sample CPU kernels of the native backend: coefficient draw, separable
// synthesis (Eq. 2 as two products) and remap, for one sample at a time.
//
// Deliberately WITHOUT an include guard: diffeo_native.h includes this file twice, once under
// `#pragma GCC target("avx2,fma")` in namespace diffeo::avx2 (with DIFFEO_AVX2 defined, which
// brings in the hand-written loops of simd_avx2.h) and once plainly in diffeo::generic (baseline
// x86-64, auto-vectorised with SSE2). Which one runs is picked at run time (__builtin_cpu_supports),
// so an AVX2 instruction never runs on a CPU without it.
//
// Both keep the Java reference's operation order per output element (FieldSynthesis: double first
// product, float second product summed over i ascending, zero terms skipped, which changes no bit;
// Remap: the same clamp, weights and sums), and the build passes -ffp-contract=off, so vectorising
// changes no bit: the generic kernels give Java's bits (GenericPathExactTest asserts it). The AVX2
// kernels add one difference, their own log/sin/cos/exp (Box–Muller, Gaussian weights), within a
// few double ulps of libm (see simd_avx2.h); they are judged against Java by tolerance
// (NativeTwinHarnessTest), though no bit differed in the measurements of docs/precision.md.
// Requires before inclusion: diffeo_math.cuh, <algorithm>, <cstring>, <vector>, <immintrin.h>,
// and the Plan and Scratch structs.

namespace diffeo {
namespace DIFFEO_KNS {

#ifdef DIFFEO_AVX2
#include "simd_avx2.h"
#else
/** Second synthesis product, portable: out[y][x] = sum_i a[i][y] bx[i][x], i ascending, zero a skipped. */
static void rows_times_basis(const float* a, int h, int c, const float* bx, int w, float* out) {
    enum { CHUNK = 64 }; // a row chunk that stays in L1 while summing over modes
    for (int y = 0; y < h; y++) {
        float* row = out + y * w;
        for (int x0 = 0; x0 < w; x0 += CHUNK) {
            const int len = std::min((int)CHUNK, w - x0);
            float sum[CHUNK];
            for (int k = 0; k < CHUNK; k++) sum[k] = 0.0f;
            for (int i = 0; i < c; i++) {
                float ai = a[i * h + y];
                if (ai == 0.0f) continue;
                const float* b = bx + i * w + x0;
                for (int k = 0; k < len; k++) sum[k] += ai * b[k];
            }
            std::memcpy(row + x0, sum, sizeof(float) * len);
        }
    }
}
#endif

/**
 * Draws the c x c coefficients of one field (CoefficientBatch.drawOne): stream elements [0, c^2)
 * in double, scattered to the grid layout (i-1)*c + (j-1) by stream_element, rounded to float;
 * modes outside the disc get 0.
 * normals: c^2 + 16 doubles of scratch; words: as many uint32.
 */
static void draw_field(int cut, uint64_t seed, uint64_t sample, uint32_t stream, double* normals, uint32_t* words,
                       float* z) {
    const int count = cut * cut, blocks = (count + 3) / 4;
#ifdef DIFFEO_AVX2
    normal_blocks(seed, sample, stream, blocks, words, normals);
#else
    (void)words;
    for (int b = 0; b < blocks; b++) normal_block(seed, sample, stream, (uint32_t)b, normals + 4 * b);
#endif
    for (int i = 1; i <= cut; i++)
        for (int j = 1; j <= cut; j++)  // outside the disc a coefficient has no meaning: 0, as in Java
            z[(i - 1) * cut + (j - 1)] = mode_contains(cut, i, j) ? (float)normals[stream_element(i, j)] : 0.0f;
}

/**
 * The isotropic noise of G_f for samples [from, to) (stability.Noise.sample): g drawn at
 * (seed, first + k, STREAM_NOISE, e), out = (float)(x + g * (sqrt(||y - x||^2) / sqrt(||g||^2))), both
 * norms accumulated in double in element order, as Java. out may be y (each sample is read whole
 * before it is written). g: scratch of size + 32 doubles; words: as many uint32.
 */
static void noise_range(const float* x, const float* y, float* out, int size, uint64_t seed, uint64_t first, double* g,
                        uint32_t* words, int from, int to) {
    const int blocks = (size + 3) / 4;
    for (int k = from; k < to; k++) {
#ifdef DIFFEO_AVX2
        normal_blocks<true>(seed, first + (uint64_t)k, STREAM_NOISE, blocks, words, g); // FMA Box–Muller: tolerance, not bits
#else
        (void)words;
        for (int b = 0; b < blocks; b++) normal_block(seed, first + (uint64_t)k, STREAM_NOISE, (uint32_t)b, g + 4 * b);
#endif
        const size_t o = (size_t)k * size;
        double gn = 0, dn = 0;
        int e = 0;
#ifdef DIFFEO_AVX2
        // Eight partial sums per norm (two vectors of four lanes, added pairwise at the end): the one
        // place the AVX2 path sums in another order than Java, ~1e-16 relative on a norm, far below the
        // float rounding of the output (docs/precision.md); the generic path below is Java's order.
        __m256d g0 = _mm256_setzero_pd(), g1 = g0, d0 = g0, d1 = g0;
        for (; e + 8 <= size; e += 8) {
            const __m256d ga = _mm256_loadu_pd(g + e), gb = _mm256_loadu_pd(g + e + 4);
            const __m256d da = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(y + o + e)), _mm256_cvtps_pd(_mm_loadu_ps(x + o + e)));
            const __m256d db = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(y + o + e + 4)), _mm256_cvtps_pd(_mm_loadu_ps(x + o + e + 4)));
            g0 = _mm256_add_pd(g0, _mm256_mul_pd(ga, ga));
            g1 = _mm256_add_pd(g1, _mm256_mul_pd(gb, gb));
            d0 = _mm256_add_pd(d0, _mm256_mul_pd(da, da));
            d1 = _mm256_add_pd(d1, _mm256_mul_pd(db, db));
        }
        alignas(32) double lanes[4];
        _mm256_store_pd(lanes, _mm256_add_pd(g0, g1));
        gn = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        _mm256_store_pd(lanes, _mm256_add_pd(d0, d1));
        dn = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#endif
        for (; e < size; e++) {
            gn += g[e] * g[e];
            const double d = (double)y[o + e] - (double)x[o + e];
            dn += d * d;
        }
        const double scale = std::sqrt(dn) / std::sqrt(gn);
        // element by element, so any vectorisation keeps Java's rounding: (float)(x + g * scale)
        for (int q = 0; q < size; q++) out[o + q] = (float)((double)x[o + q] + g[q] * scale);
    }
}

/** ||a_k - b_k||^2 for samples [from, to), summed in double in element order (stability.Noise.squaredDistance). */
static void distance_range(const float* a, const float* b, double* out, int size, int from, int to) {
    for (int k = from; k < to; k++) {
        const size_t o = (size_t)k * size;
        double s = 0;
        for (int e = 0; e < size; e++) {
            const double d = (double)b[o + e] - (double)a[o + e];
            s += d * d;
        }
        out[k] = s;
    }
}

/** Both products in double, rounded to float once (FieldSynthesis.synthesizeExact, same order). */
static void synthesize_field_exact(const Plan& p, Scratch& s, const float* z, double scale, float* out) {
    const int c = p.cut, h = p.h, w = p.w;
    double *a = s.a_exact, *row = s.row_exact;
    for (int i = 0; i < c; i++) {
        double* ai = a + i * h;
        for (int y = 0; y < h; y++) ai[y] = 0.0;
        for (int j = 0; j < c; j++) {
            double wij = p.weights[i * c + j];
            if (wij == 0) continue;
            double cij = scale * wij * (double)z[i * c + j];
            const double* bj = p.by_e + j * h;
            for (int y = 0; y < h; y++) ai[y] += cij * bj[y];
        }
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) row[x] = 0.0;
        for (int i = 0; i < c; i++) {
            double ai = a[i * h + y];
            const double* b = p.bx_e + i * w;
            for (int x = 0; x < w; x++) row[x] += ai * b[x];
        }
        for (int x = 0; x < w; x++) out[y * w + x] = (float)row[x];
    }
}

/**
 * One field, FieldSynthesis.synthesize: A[i][y] = (float)(scale * sum_j (w_ij z_ij) by_j(y)) in
 * double, then out[y][x] = sum_i A[i][y] bx_i(x) in float. Vectorised over y, then over x.
 * Fields that large_field (diffeo_math.cuh) calls large take the double path, as in Java.
 * Uses s.acc, s.js, s.a; out: h*w floats, overwritten.
 */
static void synthesize_field(const Plan& p, Scratch& s, const float* z, double scale, float* out) {
    const int c = p.cut, h = p.h, w = p.w;
    if (large_field(scale, field_energy(p.weights, z, c))) { // float32 would drift past 1e-5 of float64
        synthesize_field_exact(p, s, z, scale, out);
        return;
    }
    double* acc = s.acc;
    float* a = s.a;
#ifdef DIFFEO_AVX2
    modes_times_basis(c, h, p.weights, z, p.by_d, scale, acc, s.js, a);
#else
    for (int i = 0; i < c; i++) {
        for (int y = 0; y < h; y++) acc[y] = 0.0;
        for (int j = 0; j < c; j++) {
            double wij = p.weights[i * c + j];
            if (wij == 0) continue;
            double cz = wij * (double)z[i * c + j]; // Java: wij * z * by, left to right
            const double* by = p.by_d + j * h;
            for (int y = 0; y < h; y++) acc[y] += cz * by[y];
        }
        for (int y = 0; y < h; y++) a[i * h + y] = (float)(scale * acc[y]);
    }
#endif
    rows_times_basis(a, h, c, p.bx, w, out);
}

/**
 * Bilinear remap of one sample through the header's bilinear_pixel (the per-pixel math lives once,
 * in diffeo_math.cuh); specialised on the channel count so the inlined channel loop is unrolled.
 * Used by the generic path and by images narrower than one AVX2 vector.
 */
template <int CH>
static void bilinear_sample(const float* in, int channels, int h, int w, const float* dx, const float* dy, float* out) {
    const int nch = CH > 0 ? CH : channels;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) bilinear_pixel(in, nch, h, w, x, y, dx[y * w + x], dy[y * w + x], out);
}

/** Remaps one sample (Remap.sample); interp 0 bilinear, 1 gaussian, 2 nearest. */
static void remap_sample(int interp, const float* in, int channels, int h, int w,
                         const float* dx, const float* dy, float* out) {
    if (interp == 0) {
#ifdef DIFFEO_AVX2
        if (w >= 8) {
            bilinear_avx2(in, channels, h, w, dx, dy, out);
            return;
        }
#endif
        if (channels == 1) bilinear_sample<1>(in, 1, h, w, dx, dy, out);
        else if (channels == 3) bilinear_sample<3>(in, 3, h, w, dx, dy, out);
        else bilinear_sample<0>(in, channels, h, w, dx, dy, out);
    } else if (interp == 1) {
#ifdef DIFFEO_AVX2
        if (w >= 4) {
            gaussian_avx2(in, channels, h, w, dx, dy, out);
            return;
        }
#endif
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) gaussian_pixel(in, channels, h, w, x, y, dx[y * w + x], dy[y * w + x], out);
    } else {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) nearest_pixel(in, channels, h, w, x, y, dx[y * w + x], dy[y * w + x], out);
    }
}

/** Samples [from, to) of a fused deform: draw, synthesise both fields, remap; nothing stored but the output. */
static void deform_range(const Plan& p, Scratch& s, const float* in, float* out, int channels, int interp,
                         uint64_t seed, uint64_t first, int from, int to) {
    const size_t size = (size_t)channels * p.h * p.w;
    for (int k = from; k < to; k++) {
        draw_field(p.cut, seed, first + (uint64_t)k, STREAM_U, s.normals, s.words, s.zu);
        draw_field(p.cut, seed, first + (uint64_t)k, STREAM_V, s.normals, s.words, s.zv);
        synthesize_field(p, s, s.zu, p.scale_x, s.dx);
        synthesize_field(p, s, s.zv, p.scale_y, s.dy);
        remap_sample(interp, in + k * size, channels, p.h, p.w, s.dx, s.dy, out + k * size);
    }
}

/** Samples [from, to) of synthesis from given coefficients. */
static void synthesize_range(const Plan& p, Scratch& s, const float* zu, const float* zv, float* dx, float* dy,
                             int from, int to) {
    const size_t per = (size_t)p.cut * p.cut, plane = (size_t)p.h * p.w;
    for (int k = from; k < to; k++) {
        synthesize_field(p, s, zu + k * per, p.scale_x, dx + k * plane);
        synthesize_field(p, s, zv + k * per, p.scale_y, dy + k * plane);
    }
}

/** Samples [from, to) of remap through given fields. */
static void remap_range(const float* in, const float* dx, const float* dy, float* out, int channels, int h, int w,
                        int interp, int from, int to) {
    const size_t plane = (size_t)h * w, size = plane * channels;
    for (int k = from; k < to; k++)
        remap_sample(interp, in + k * size, channels, h, w, dx + k * plane, dy + k * plane, out + k * size);
}

} // namespace DIFFEO_KNS
} // namespace diffeo
