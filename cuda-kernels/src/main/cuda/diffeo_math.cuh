// diffeo_math.cuh — the per-pixel math of diffeo4j, shared by the CUDA kernels and the native CPU
// backend (DESIGN.md section 2). Under nvcc every function is __host__ __device__; under g++ it is
// plain inline C++. No CUDA-only construct: what compiles here is exercised on the CPU in every build.
//
// Every function but element_mode (the GPU's inverse of stream_element) mirrors a Java method of
// core, named in its comment, operation for operation and in the same precision (double where Java
// uses double; docs/precision.md), so a g++ build with -ffp-contract=off reproduces the Java
// reference bit for bit. The one source of difference is the transcendental functions: libm's
// log, sin, cos, exp here, java.lang.Math's in Java, which differ in the last bit of a double now
// and then (measured: 0.2% of Box-Muller normals, by <= 4.1e-16 relative); after the cast to float
// none showed in 45M coefficients nor in any output of the exact tests. Tested bit for bit:
// native GenericPathExactTest (the generic kernels), cuda-kernels EmulatedExactTest (the kernels
// under g++). nvcc contracts a*b+c into FMA by default; build-kernels.sh passes -fmad=false, and on
// a GPU CUDA's own sin/cos/log/exp make the results differ within the twin tolerance.
#ifndef DIFFEO_MATH_CUH
#define DIFFEO_MATH_CUH

#include <stdint.h>
#include <math.h>

#ifdef __CUDACC__
#define DIFFEO_HD __host__ __device__ inline
#else
#define DIFFEO_HD inline
#endif

namespace diffeo {

// ---- Randomness (DESIGN.md section 3; org.diffeo4j.random.Philox4x32 and Normals) ----

/** Random streams: coefficients of tau_u, of tau_v, and the noise of G_f. */
enum { STREAM_U = 0, STREAM_V = 1, STREAM_NOISE = 2 };

/** Philox4x32-10 (Salmon et al., SC'11), bit-compatible with Random123 philox4x32_R(10, ...). */
DIFFEO_HD void philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                             uint32_t k0, uint32_t k1, uint32_t out[4]) {
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0;
        uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += 0x9E3779B9u; // Weyl key schedule
        k1 += 0xBB67AE85u;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

/** A 32-bit word as a uniform in the open interval (0, 1): (w + 1/2) / 2^32 (Normals.uniform). */
DIFFEO_HD double uniform01(uint32_t w) {
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

/** Box–Muller on one block: (r cos 2 pi u1, r sin 2 pi u1), r = sqrt(-2 ln u0), then (u2, u3). */
DIFFEO_HD void box_muller(const uint32_t w[4], double out[4]) {
    const double two_pi = 2.0 * 3.141592653589793;
    for (int pair = 0; pair < 2; pair++) {
        double r = sqrt(-2.0 * log(uniform01(w[2 * pair])));
        double angle = two_pi * uniform01(w[2 * pair + 1]), s, c;
#ifdef __CUDACC__
        sincos(angle, &s, &c); // one argument reduction for both (CUDA Math API: accuracy of sin and cos)
#else
        s = sin(angle);
        c = cos(angle);
#endif
        out[2 * pair] = r * c;
        out[2 * pair + 1] = r * s;
    }
}

/**
 * The four normals of Philox block b of address (seed, sample, stream): counter
 * (b, stream, sample low, sample high), key (seed low, seed high). Element e is lane e % 4 of block e / 4.
 */
DIFFEO_HD void normal_block(uint64_t seed, uint64_t sample, uint32_t stream, uint32_t block, double out[4]) {
    uint32_t w[4];
    philox4x32_10(block, stream, (uint32_t)sample, (uint32_t)(sample >> 32),
                  (uint32_t)seed, (uint32_t)(seed >> 32), w);
    box_muller(w, out);
}

/** The single normal at (seed, sample, stream, element) (Normals.at). */
DIFFEO_HD double normal_at(uint64_t seed, uint64_t sample, uint32_t stream, uint32_t element) {
    double b[4];
    normal_block(seed, sample, stream, element >> 2, b);
    return b[element & 3];
}

// ---- Modes (Eq. 2; org.diffeo4j.field.Modes) ----

/** (i, j) is in the mode set of cut c: sqrt(i^2 + j^2) < c + 1/2, i.e. i^2 + j^2 <= c^2 + c. */
DIFFEO_HD bool mode_contains(int cut, int i, int j) {
    return i >= 1 && j >= 1 && i <= cut && j <= cut && i * i + j * j <= cut * cut + cut;
}

/** Weight 1 / sqrt(i^2 + j^2) of mode (i, j), zero outside the set. */
DIFFEO_HD double mode_weight(int cut, int i, int j) {
    return mode_contains(cut, i, j) ? 1.0 / sqrt((double)(i * i + j * j)) : 0.0;
}

/** Cut-independent stream element of mode (i, j): shell k = max(i, j) holds (k-1)^2 .. k^2 - 1. */
DIFFEO_HD int stream_element(int i, int j) {
    int k = i > j ? i : j;
    int base = (k - 1) * (k - 1);
    return i == k ? base + (j - 1) : base + k + (i - 1);
}

/**
 * Inverse of stream_element: the mode (i, j) drawn from stream element e (shell k = floor(sqrt(e)) + 1).
 * A GPU thread that draws Philox block b knows its elements 4b..4b+3 and scatters them with this.
 */
DIFFEO_HD void element_mode(int e, int* i, int* j) {
    int r = (int)sqrt((double)e);
    while (r * r > e) r--; // sqrt may round up near perfect squares
    while ((r + 1) * (r + 1) <= e) r++;
    int k = r + 1, offset = e - r * r;
    if (offset < k) {
        *i = k;
        *j = offset + 1;
    } else {
        *j = k;
        *i = offset - k + 1;
    }
}

// ---- Sine basis (SineBasis) ----

/** sin(pi i a / (n - 1)), mode i >= 1 at pixel a of an n-pixel axis; 0 on a one-pixel axis. */
DIFFEO_HD float sine_basis(int n, int i, int a) {
    if (n <= 1) return 0.0f;
    double arg = 3.141592653589793 * i * a / (n - 1);
    return (float)sin(arg);
}

/** d/da of sin(pi i a / (n - 1)) in pixels: (pi i / (n - 1)) cos(pi i a / (n - 1)). */
DIFFEO_HD float sine_derivative(int n, int i, int a) {
    if (n <= 1) return 0.0f;
    double k = 3.141592653589793 * i / (n - 1);
    double arg = 3.141592653589793 * i * a / (n - 1);
    return (float)(k * cos(arg));
}

/** The two tables above in double, for the double-precision synthesis of large fields (SineBasis.exact). */
DIFFEO_HD double sine_basis_exact(int n, int i, int a, bool derivative) {
    if (n <= 1) return 0.0;
    double arg = 3.141592653589793 * i * a / (n - 1);
    return derivative ? 3.141592653589793 * i / (n - 1) * cos(arg) : sin(arg);
}

// ---- The large-field rule (FieldSynthesis.FLOAT_LIMIT_PIXELS, isLarge, rmsSize) ----
// Defined here once for C++ and CUDA: cpu_kernels.h sums field_energy serially, as Java does;
// kernel_common.cuh sums the same mode_energy terms as a block reduction, then both call
// large_field. LargeFieldRuleTest (native) checks the constant and the rms against Java.

/**
 * rms field size (pixels) above which synthesis runs in double: float32 drifted past 1e-5 of a
 * float64 reference beyond ~20 px fields (FieldSynthesis.FLOAT_LIMIT_PIXELS).
 */
#define DIFFEO_FLOAT_LIMIT_PIXELS 4.0

/** One mode's term (w z)^2 of a field's energy, in double. */
DIFFEO_HD double mode_energy(double weight, float z) {
    double v = weight * (double)z;
    return v * v;
}

/** sum_k (w_k z_k)^2 over the c x c grid, k ascending (the order of FieldSynthesis.rmsSize). */
DIFFEO_HD double field_energy(const double* weights, const float* z, int cut) {
    double sum = 0;
    for (int k = 0; k < cut * cut; k++) sum += mode_energy(weights[k], z[k]);
    return sum;
}

/** rms over the domain in pixels, |scale| sqrt(energy) / 2: the mean of sin^2 sin^2 over the grid is 1/4. */
DIFFEO_HD double field_rms(double scale, double energy) {
    return fabs(scale) * sqrt(energy) / 2;
}

/** The rule (FieldSynthesis.isLarge): a field above DIFFEO_FLOAT_LIMIT_PIXELS rms is synthesised in double. */
DIFFEO_HD bool large_field(double scale, double energy) {
    return field_rms(scale, energy) > DIFFEO_FLOAT_LIMIT_PIXELS;
}

// ---- Remap of one output pixel (org.diffeo4j.interp.Remap) ----
// in: channels planes of h x w, plane stride h*w; out written at out[c * h*w + y*w + x].
// The sample point is (x - dx, y - dy) in float, clamped to [0, w-1] x [0, h-1].

DIFFEO_HD float clamp_coord(float v, int max) {
    return v < 0 ? 0.0f : (v > (float)max ? (float)max : v);
}

/** Bilinear between the floor/ceil neighbours of the clamped point (Remap.bilinear). */
DIFFEO_HD void bilinear_pixel(const float* in, int channels, int h, int w, int x, int y,
                              float dx, float dy, float* out) {
    int plane = h * w, p = y * w + x;
    float sx = clamp_coord((float)x - dx, w - 1);
    float sy = clamp_coord((float)y - dy, h - 1);
    // floor, as sx, sy >= 0; a NaN coordinate reads pixel 0 as Java's (int) NaN does (and stays NaN via fx)
    int x0 = sx >= 0 ? (int)sx : 0, y0 = sy >= 0 ? (int)sy : 0;
    int x1 = x0 + 1 < w - 1 ? x0 + 1 : w - 1;
    int y1 = y0 + 1 < h - 1 ? y0 + 1 : h - 1;
    float fx = sx - (float)x0, fy = sy - (float)y0;
    int i00 = y0 * w + x0, i01 = y0 * w + x1, i10 = y1 * w + x0, i11 = y1 * w + x1;
    for (int c = 0; c < channels; c++) {
        const float* b = in + c * plane;
        float top = b[i00] + fx * (b[i01] - b[i00]);
        float bottom = b[i10] + fx * (b[i11] - b[i10]);
        out[c * plane + p] = top + fy * (bottom - top);
    }
}

/** Nearest: the clamped point rounded half-to-even (Math.rint, torch.round). */
DIFFEO_HD void nearest_pixel(const float* in, int channels, int h, int w, int x, int y,
                             float dx, float dy, float* out) {
    int plane = h * w, p = y * w + x;
    double rx = rint((double)clamp_coord((float)x - dx, w - 1));
    double ry = rint((double)clamp_coord((float)y - dy, h - 1));
    int sx = rx >= 0 ? (int)rx : 0, sy = ry >= 0 ? (int)ry : 0; // NaN -> 0, as Java's (int) NaN
    int q = sy * w + sx;
    for (int c = 0; c < channels; c++) out[c * plane + p] = in[c * plane + q];
}

/** Gaussian kernel width sigma = 0.4715 px and window floor(s)-2 .. floor(s)+3 (Remap.SIGMA, WINDOW_*). */
#define DIFFEO_SIGMA 0.4715
#define DIFFEO_WINDOW_LOW 2
#define DIFFEO_WINDOW_HIGH 3

/**
 * w[k] = exp(-a (p0 + k - s)^2) for p0..p1, a = 1/(2 sigma^2), by the recurrence
 * w_(k+1) = w_k r_k, r_(k+1) = r_k e^(-2a) (two exponentials per axis); returns their sum.
 */
DIFFEO_HD double gaussian_axis_weights(int p0, int p1, double s, double* wts) {
    const double a = 1.0 / (2 * DIFFEO_SIGMA * DIFFEO_SIGMA);
    const double q = exp(-2 * a);
    double d = p0 - s;
    double wk = exp(-a * d * d);
    double rk = exp(-a * (2 * d + 1));
    double sum = 0;
    for (int p = p0; p <= p1; p++) {
        wts[p - p0] = wk;
        sum += wk;
        wk *= rk;
        rk *= q;
    }
    return sum;
}

/** Truncated, normalised Gaussian of the clamped point (Remap.gaussian): sum_p w_p in[p] / sum_p w_p. */
DIFFEO_HD void gaussian_pixel(const float* in, int channels, int h, int w, int x, int y,
                              float dx, float dy, float* out) {
    int plane = h * w, p = y * w + x;
    double sx = clamp_coord((float)x - dx, w - 1);
    double sy = clamp_coord((float)y - dy, h - 1);
    int fx = sx >= 0 ? (int)sx : 0, fy = sy >= 0 ? (int)sy : 0; // NaN -> 0, as Java's (int) NaN
    int x0 = fx - DIFFEO_WINDOW_LOW, x1 = fx + DIFFEO_WINDOW_HIGH;
    int y0 = fy - DIFFEO_WINDOW_LOW, y1 = fy + DIFFEO_WINDOW_HIGH;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > w - 1 ? w - 1 : x1;
    y1 = y1 > h - 1 ? h - 1 : y1;
    double wx[6], wy[6];
    double norm = 1.0 / (gaussian_axis_weights(x0, x1, sx, wx) * gaussian_axis_weights(y0, y1, sy, wy));
    for (int c = 0; c < channels; c++) {
        const float* b = in + c * plane;
        double acc = 0;
        for (int py = y0; py <= y1; py++) {
            double row = 0;
            const float* r = b + py * w;
            for (int px = x0; px <= x1; px++) row += wx[px - x0] * r[px];
            acc += wy[py - y0] * row;
        }
        out[c * plane + p] = (float)(acc * norm);
    }
}

// ---- Jacobian (Appendix B; org.diffeo4j.field.Jacobian) ----

/** det(I - grad tau) at a pixel from the four partial derivatives in pixels; <= 0 means a fold. */
DIFFEO_HD float jacobian_det(float ux, float uy, float vx, float vy) {
    return (1 - ux) * (1 - vy) - uy * vx;
}

} // namespace diffeo

#endif // DIFFEO_MATH_CUH
