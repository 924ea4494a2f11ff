// simd_avx2.h — hand-vectorised AVX2 loops the compiler does not find by itself. Included by
// cpu_kernels.h only inside namespace diffeo::avx2, i.e. under #pragma GCC target("avx2,fma"), and
// only ever run after __builtin_cpu_supports said yes.
//
// Bit-for-bit the operations of the scalar code: separate multiply and add (no FMA: Java rounds
// twice, and a fused a*b+c would move a nearest-neighbour sample across a half-pixel now and then;
// measured, FMA would save only ~18% of the 224x224 synthesis), the same summation order, the same
// comparisons for the clamp. Exception: log, sin, cos and exp (Box–Muller, Gaussian weights) are
// our own vector versions, within a few double ulps of libm, described where they are defined; so
// this path is checked against Java by tolerance (NativeTwinHarnessTest), not bit for bit, although no
// float output differed in the measurements of docs/precision.md.

/**
 * One block of up to 8*NV outputs of a row of the second synthesis product, the NV accumulators in
 * registers across the modes; the last vector is masked (reads and writes only `last` lanes).
 */
template <int NV>
static inline void row_block(const float* a, int h, int c, const float* bx, int w, int y, int x, __m256i last,
                             float* row) {
    __m256 s[NV];
    for (int v = 0; v < NV; v++) s[v] = _mm256_setzero_ps();
    for (int i = 0; i < c; i++) {
        const float ai = a[i * h + y];
        if (ai == 0.0f) continue;
        const __m256 va = _mm256_set1_ps(ai);
        const float* b = bx + i * w + x;
        for (int v = 0; v < NV - 1; v++) s[v] = _mm256_add_ps(s[v], _mm256_mul_ps(va, _mm256_loadu_ps(b + 8 * v)));
        s[NV - 1] = _mm256_add_ps(s[NV - 1], _mm256_mul_ps(va, _mm256_maskload_ps(b + 8 * (NV - 1), last)));
    }
    for (int v = 0; v < NV - 1; v++) _mm256_storeu_ps(row + x + 8 * v, s[v]);
    _mm256_maskstore_ps(row + x + 8 * (NV - 1), last, s[NV - 1]);
}

/** Second synthesis product: out[y][x] = sum_i a[i][y] bx[i][x] over i ascending, zero a skipped. */
static void rows_times_basis(const float* a, int h, int c, const float* bx, int w, float* out) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), all = _mm256_set1_epi32(-1);
    const int full = w / 32 * 32, rem = w - full, nv = (rem + 7) / 8;
    const __m256i last = _mm256_cmpgt_epi32(_mm256_set1_epi32(rem - 8 * (nv - 1)), lane);
    for (int y = 0; y < h; y++) {
        float* row = out + y * w;
        for (int x = 0; x < full; x += 32) row_block<4>(a, h, c, bx, w, y, x, all, row);
        switch (nv) { // the row's tail: 1 to 31 outputs in one block
            case 1: row_block<1>(a, h, c, bx, w, y, full, last, row); break;
            case 2: row_block<2>(a, h, c, bx, w, y, full, last, row); break;
            case 3: row_block<3>(a, h, c, bx, w, y, full, last, row); break;
            case 4: row_block<4>(a, h, c, bx, w, y, full, last, row); break;
            default: break;
        }
    }
}

/**
 * First synthesis product, A[i][y] = (float)(scale * sum_j (w_ij z_ij) by_j(y)) in double, j
 * ascending over the modes in the disc; sixteen y per step in four accumulators that stay in registers.
 * cz: scratch of c doubles, js: of c ints.
 */
static void modes_times_basis(int c, int h, const double* weights, const float* z, const double* by, double scale,
                              double* cz, int* js, float* a) {
    const __m256d sv = _mm256_set1_pd(scale);
    for (int i = 0; i < c; i++) {
        int nj = 0;
        for (int j = 0; j < c; j++) {
            double wij = weights[i * c + j];
            if (wij == 0) continue;
            cz[nj] = wij * (double)z[i * c + j]; // Java: wij * z * by, left to right
            js[nj++] = j;
        }
        float* ai = a + i * h;
        int y = 0;
        for (; y + 16 <= h; y += 16) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            for (int t = 0; t < nj; t++) {
                const __m256d cv = _mm256_set1_pd(cz[t]);
                const double* b = by + js[t] * h + y;
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(cv, _mm256_loadu_pd(b)));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(cv, _mm256_loadu_pd(b + 4)));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(cv, _mm256_loadu_pd(b + 8)));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(cv, _mm256_loadu_pd(b + 12)));
            }
            _mm_storeu_ps(ai + y, _mm256_cvtpd_ps(_mm256_mul_pd(sv, s0)));
            _mm_storeu_ps(ai + y + 4, _mm256_cvtpd_ps(_mm256_mul_pd(sv, s1)));
            _mm_storeu_ps(ai + y + 8, _mm256_cvtpd_ps(_mm256_mul_pd(sv, s2)));
            _mm_storeu_ps(ai + y + 12, _mm256_cvtpd_ps(_mm256_mul_pd(sv, s3)));
        }
        for (; y + 4 <= h; y += 4) {
            __m256d s0 = _mm256_setzero_pd();
            for (int t = 0; t < nj; t++)
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_set1_pd(cz[t]), _mm256_loadu_pd(by + js[t] * h + y)));
            _mm_storeu_ps(ai + y, _mm256_cvtpd_ps(_mm256_mul_pd(sv, s0)));
        }
        for (; y < h; y++) {
            double acc = 0;
            for (int t = 0; t < nj; t++) acc += cz[t] * by[js[t] * h + y];
            ai[y] = (float)(scale * acc);
        }
    }
}

/** clamp_coord of diffeo_math.cuh on 8 lanes: v < 0 -> 0, v > max -> max, else v (NaN stays NaN). */
static inline __m256 clamp8(__m256 v, __m256 max) {
    __m256 r = _mm256_blendv_ps(v, max, _mm256_cmp_ps(v, max, _CMP_GT_OQ));
    return _mm256_blendv_ps(r, _mm256_setzero_ps(), _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ));
}

/**
 * Bilinear remap of one sample, 8 output pixels per step with gathers; the row tail goes through
 * bilinear_pixel. Indices are computed as in the scalar code ((int) of a non-negative float
 * truncates = floor; NaN lanes get index 0 as Java's (int) NaN does, and stay NaN through fx).
 */
static void bilinear_avx2(const float* in, int channels, int h, int w, const float* dx, const float* dy, float* out) {
    const int plane = h * w;
    const __m256 maxx = _mm256_set1_ps((float)(w - 1)), maxy = _mm256_set1_ps((float)(h - 1));
    const __m256i wm1 = _mm256_set1_epi32(w - 1), hm1 = _mm256_set1_epi32(h - 1);
    const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256(), vw = _mm256_set1_epi32(w);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int y = 0; y < h; y++) {
        const __m256 fy_row = _mm256_set1_ps((float)y);
        int x = 0;
        for (; x + 8 <= w; x += 8) {
            const int p = y * w + x;
            __m256 xs = _mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_set1_epi32(x), lane));
            __m256 sx = clamp8(_mm256_sub_ps(xs, _mm256_loadu_ps(dx + p)), maxx);
            __m256 sy = clamp8(_mm256_sub_ps(fy_row, _mm256_loadu_ps(dy + p)), maxy);
            __m256i x0 = _mm256_max_epi32(_mm256_cvttps_epi32(sx), zero); // NaN -> INT_MIN -> 0
            __m256i y0 = _mm256_max_epi32(_mm256_cvttps_epi32(sy), zero);
            __m256i x1 = _mm256_min_epi32(_mm256_add_epi32(x0, one), wm1);
            __m256i y1 = _mm256_min_epi32(_mm256_add_epi32(y0, one), hm1);
            __m256 fx = _mm256_sub_ps(sx, _mm256_cvtepi32_ps(x0));
            __m256 fy = _mm256_sub_ps(sy, _mm256_cvtepi32_ps(y0));
            __m256i r0 = _mm256_mullo_epi32(y0, vw), r1 = _mm256_mullo_epi32(y1, vw);
            __m256i i00 = _mm256_add_epi32(r0, x0), i01 = _mm256_add_epi32(r0, x1);
            __m256i i10 = _mm256_add_epi32(r1, x0), i11 = _mm256_add_epi32(r1, x1);
            for (int ch = 0; ch < channels; ch++) {
                const float* b = in + ch * plane;
                __m256 g00 = _mm256_i32gather_ps(b, i00, 4), g01 = _mm256_i32gather_ps(b, i01, 4);
                __m256 g10 = _mm256_i32gather_ps(b, i10, 4), g11 = _mm256_i32gather_ps(b, i11, 4);
                __m256 top = _mm256_add_ps(g00, _mm256_mul_ps(fx, _mm256_sub_ps(g01, g00)));
                __m256 bottom = _mm256_add_ps(g10, _mm256_mul_ps(fx, _mm256_sub_ps(g11, g10)));
                _mm256_storeu_ps(out + ch * plane + p, _mm256_add_ps(top, _mm256_mul_ps(fy, _mm256_sub_ps(bottom, top))));
            }
        }
        for (; x < w; x++) bilinear_pixel(in, channels, h, w, x, y, dx[y * w + x], dy[y * w + x], out);
    }
}

// ---- Box–Muller, four pairs at a time ----
// Not libm, so not bit-identical to Java's Math.log/cos/sin by construction: both are within about
// an ulp of the true double, and the normals are rounded to float before use, so a coefficient
// differs from the Java one only when a double lands within an ulp or two of a float rounding
// boundary (about 1 in 10^8 draws; the result is then one float ulp away).

/**
 * a * b + c: two roundings (the draws' path, which keeps Java's float coefficients), or one fused
 * multiply-add (the noise's path, judged by tolerance: 30% fewer instructions in Box–Muller).
 */
template <bool Fma>
static inline __m256d madd(__m256d a, __m256d b, __m256d c) {
    if constexpr (Fma) return _mm256_fmadd_pd(a, b, c);
    else return _mm256_add_pd(_mm256_mul_pd(a, b), c);
}

/** Natural log of u in (0, 1] (4 lanes): u = m 2^e, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m-1)/(m+1)). */
template <bool Fma = false>
static inline __m256d log4(__m256d u) {
    const __m256i bits = _mm256_castpd_si256(u);
    const __m256i mant = _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL)),
                                         _mm256_set1_epi64x(0x3FF0000000000000LL)); // m in [1, 2)
    __m256i ebits = _mm256_srli_epi64(bits, 52); // u > 0: no sign bit
    ebits = _mm256_permutevar8x32_epi32(ebits, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    __m256d e = _mm256_sub_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(ebits)), _mm256_set1_pd(1023.0));
    __m256d m = _mm256_castsi256_pd(mant);
    const __m256d big = _mm256_cmp_pd(m, _mm256_set1_pd(1.4142135623730951), _CMP_GT_OQ);
    m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
    e = _mm256_blendv_pd(e, _mm256_add_pd(e, _mm256_set1_pd(1.0)), big);
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d s = _mm256_div_pd(_mm256_sub_pd(m, one), _mm256_add_pd(m, one));
    const __m256d s2 = _mm256_mul_pd(s, s);
    // |s| <= 0.1716: the series to s^22/23 is far below an ulp; the noise's variant stops at s^18/19,
    // whose first omitted term is 2e-17 of log m (still below half an ulp)
    constexpr int top = Fma ? 19 : 23;
    __m256d p = _mm256_set1_pd(1.0 / top);
    for (int k = top - 2; k >= 3; k -= 2) p = madd<Fma>(s2, p, _mm256_set1_pd(1.0 / k));
    p = madd<Fma>(s2, p, one);
    const __m256d logm = _mm256_mul_pd(_mm256_add_pd(s, s), p);
    // e ln 2 with ln 2 split in two so that e * hi is exact (hi has 32 significant bits).
    const __m256d hi = _mm256_set1_pd(0.6931471803691238), lo = _mm256_set1_pd(1.9082149292705877e-10);
    return _mm256_add_pd(_mm256_mul_pd(e, hi), _mm256_add_pd(_mm256_mul_pd(e, lo), logm));
}

/**
 * cos(2 pi u) and sin(2 pi u) for u in (0, 1) (4 lanes), of the same rounded angle a = 2 pi * u that
 * Java takes (so the result is libm's within an ulp): q = round(a / (pi/2)), t = a - q pi/2 by
 * Cody–Waite with pi/2 in two parts (q <= 4, so q * part is exact), then Taylor series to t^17/17!
 * and t^18/18! (below half an ulp on |t| <= pi/4), rotated by q quarter turns.
 */
template <bool Fma = false>
static inline void sincos2pi4(__m256d u, __m256d* c, __m256d* s) {
    const __m256d a = _mm256_mul_pd(_mm256_set1_pd(2.0 * 3.141592653589793), u);
    const __m256d q = _mm256_round_pd(_mm256_mul_pd(a, _mm256_set1_pd(0.6366197723675814)),
                                      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256d pio2_1 = _mm256_set1_pd(1.57079632673412561417e+00);  // first 33 bits of pi/2
    const __m256d pio2_1t = _mm256_set1_pd(6.07710050650619224932e-11); // pi/2 - pio2_1
    const __m256d t = _mm256_sub_pd(_mm256_sub_pd(a, _mm256_mul_pd(q, pio2_1)), _mm256_mul_pd(q, pio2_1t));
    const __m256d t2 = _mm256_mul_pd(t, t);
    // Horner in t^2 with the Taylor coefficients (-1)^k / (2k+1)! and (-1)^k / (2k)!.
    static const double SIN[9] = {1.0, -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
                                  1.0 / 6227020800.0, -1.0 / 1307674368000.0, 1.0 / 355687428096000.0};
    static const double COS[10] = {1.0, -1.0 / 2, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800,
                                   1.0 / 479001600.0, -1.0 / 87178291200.0, 1.0 / 20922789888000.0,
                                   -1.0 / 6402373705728000.0};
    // the noise's variant drops t^17/17! and t^18/18! (|t| <= pi/4: 5e-17 and 2e-18, below half an ulp)
    constexpr int ns = Fma ? 7 : 8, nc = Fma ? 8 : 9;
    __m256d ps = _mm256_set1_pd(SIN[ns]), pc = _mm256_set1_pd(COS[nc]);
    for (int k = ns - 1; k >= 0; k--) ps = madd<Fma>(t2, ps, _mm256_set1_pd(SIN[k]));
    for (int k = nc - 1; k >= 0; k--) pc = madd<Fma>(t2, pc, _mm256_set1_pd(COS[k]));
    const __m256d sn = _mm256_mul_pd(t, ps), cs = pc;
    // Quarter turns: q mod 4 = 0: (c, s); 1: (-s, c); 2: (-c, -s); 3: (s, -c).
    const __m128i qi = _mm256_cvtpd_epi32(q);
    const __m256i qq = _mm256_cvtepi32_epi64(qi);
    const __m256d swap = _mm256_castsi256_pd(_mm256_slli_epi64(qq, 63));                         // q odd
    const __m256d negc = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_srli_epi64(_mm256_add_epi64(qq, _mm256_set1_epi64x(1)), 1), 63)); // q = 1, 2 (mod 4)
    const __m256d negs = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_srli_epi64(qq, 1), 63));   // q = 2, 3 (mod 4)
    const __m256d cc = _mm256_blendv_pd(cs, sn, swap), ss = _mm256_blendv_pd(sn, cs, swap);
    *c = _mm256_xor_pd(cc, negc);
    *s = _mm256_xor_pd(ss, negs);
}

/** (w + 1/2) / 2^32 for four unsigned 32-bit words (Normals.uniform), exactly. */
static inline __m256d uniform4(const uint32_t* w) {
    __m256d d = _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i*)w)); // as signed
    const __m256d neg = _mm256_cmp_pd(d, _mm256_setzero_pd(), _CMP_LT_OQ);
    d = _mm256_add_pd(d, _mm256_and_pd(neg, _mm256_set1_pd(4294967296.0)));
    return _mm256_mul_pd(_mm256_add_pd(d, _mm256_set1_pd(0.5)), _mm256_set1_pd(1.0 / 4294967296.0));
}

/**
 * philox4x32_10 of diffeo_math.cuh for blocks b .. b+3 at once: each 64-bit lane carries one
 * block's 32-bit words in its low half (_mm256_mul_epu32 gives the full 32 x 32 -> 64 product).
 * Writes words 0 and 2 of the four blocks interleaved to w02[0..7], words 1 and 3 to w13[0..7].
 */
static inline void philox4_blocks(uint32_t b, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                                  uint32_t* w02, uint32_t* w13) {
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFLL);
    const __m256i m0 = _mm256_set1_epi64x(0xD2511F53LL), m1 = _mm256_set1_epi64x(0xCD9E8D57LL);
    __m256i x0 = _mm256_setr_epi64x(b, b + 1, b + 2, b + 3);
    __m256i x1 = _mm256_set1_epi64x(c1), x2 = _mm256_set1_epi64x(c2), x3 = _mm256_set1_epi64x(c3);
    __m256i key0 = _mm256_set1_epi64x(k0), key1 = _mm256_set1_epi64x(k1);
    const __m256i bump0 = _mm256_set1_epi64x(0x9E3779B9LL), bump1 = _mm256_set1_epi64x(0xBB67AE85LL);
    for (int round = 0; round < 10; round++) {
        const __m256i p0 = _mm256_mul_epu32(x0, m0), p1 = _mm256_mul_epu32(x2, m1);
        x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1), key0);
        x1 = _mm256_and_si256(p1, low);
        x2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x3), key1);
        x3 = _mm256_and_si256(p0, low);
        key0 = _mm256_add_epi32(key0, bump0); // 32-bit wrap in the low half; the high half stays 0
        key1 = _mm256_add_epi32(key1, bump1);
    }
    const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    const __m128i y0 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x0, pick));
    const __m128i y1 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x1, pick));
    const __m128i y2 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x2, pick));
    const __m128i y3 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x3, pick));
    _mm_storeu_si128((__m128i*)w02, _mm_unpacklo_epi32(y0, y2));
    _mm_storeu_si128((__m128i*)(w02 + 4), _mm_unpackhi_epi32(y0, y2));
    _mm_storeu_si128((__m128i*)w13, _mm_unpacklo_epi32(y1, y3));
    _mm_storeu_si128((__m128i*)(w13 + 4), _mm_unpackhi_epi32(y1, y3));
}

/**
 * The normals of blocks [0, blocks) of one (seed, sample, stream): Philox four blocks at a time,
 * then Box–Muller four pairs at a time; blocks are computed in fours, so up to three more than
 * asked. words: scratch of 4*ceil(blocks/4)*4 uint32; out: as many doubles (>= c^2 + 16 for c^2 elements).
 */
template <bool Fma = false>
static void normal_blocks(uint64_t seed, uint64_t sample, uint32_t stream, int blocks, uint32_t* words, double* out) {
    // Pair k of the stream is (w0[k], w1[k]) = (words 0, 1) or (words 2, 3) of block k / 2, giving out[2k], out[2k+1].
    const int blocks4 = (blocks + 3) & ~3;
    uint32_t* w0 = words;
    uint32_t* w1 = words + 2 * blocks4;
    for (int b = 0; b < blocks4; b += 4)
        philox4_blocks((uint32_t)b, stream, (uint32_t)sample, (uint32_t)(sample >> 32), (uint32_t)seed,
                       (uint32_t)(seed >> 32), w0 + 2 * b, w1 + 2 * b);
    const int pairs = (2 * blocks + 3) & ~3;
    for (int k = 0; k < pairs; k += 4) {
        __m256d r = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), log4<Fma>(uniform4(w0 + k))));
        __m256d c, s;
        sincos2pi4<Fma>(uniform4(w1 + k), &c, &s);
        c = _mm256_mul_pd(r, c);
        s = _mm256_mul_pd(r, s);
        // interleave to (c0, s0, c1, s1), (c2, s2, c3, s3)
        __m256d lo = _mm256_unpacklo_pd(c, s), hi = _mm256_unpackhi_pd(c, s);
        _mm256_storeu_pd(out + 2 * k, _mm256_permute2f128_pd(lo, hi, 0x20));
        _mm256_storeu_pd(out + 2 * k + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
    }
}

// ---- Gaussian remap: window weights for four pixels at a time ----

/**
 * exp(x) of four vectors of 4 lanes, |x| < 700: x = n ln 2 + t (Cody–Waite, ln 2 in two parts), Taylor series of
 * exp(t) to t^13/13! on |t| <= ln2/2 (below half an ulp), times 2^n built in the exponent bits.
 * Within a few ulps of libm's exp, which Java's Math.exp also is.
 */
static inline void exp4x4(__m256d x[4]) {
    static const double C[14] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
                                 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
                                 1.0 / 6227020800.0};
    __m256d n[4], t[4], p[4];
    for (int v = 0; v < 4; v++) { // four independent chains, interleaved: throughput, not latency
        n[v] = _mm256_round_pd(_mm256_mul_pd(x[v], _mm256_set1_pd(1.4426950408889634)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        t[v] = _mm256_sub_pd(_mm256_sub_pd(x[v], _mm256_mul_pd(n[v], _mm256_set1_pd(0.6931471803691238))),
                             _mm256_mul_pd(n[v], _mm256_set1_pd(1.9082149292705877e-10)));
        p[v] = _mm256_set1_pd(C[13]);
    }
    for (int k = 12; k >= 0; k--)
        for (int v = 0; v < 4; v++) p[v] = _mm256_add_pd(_mm256_set1_pd(C[k]), _mm256_mul_pd(t[v], p[v]));
    for (int v = 0; v < 4; v++) {
        const __m256i bias = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(n[v])), _mm256_set1_epi64x(1023));
        x[v] = _mm256_mul_pd(p[v], _mm256_castsi256_pd(_mm256_slli_epi64(bias, 52)));
    }
}

/**
 * gaussian_axis_weights for four pixels (lanes) and both axes: the window p0..p1 of each lane,
 * weights exp(-a (p - s)^2) by the same two exponentials and recurrence, in the same order; slots
 * past p1 get weight 0 (the sum is unchanged: adding +0 to a positive sum). wts[axis][k][lane].
 */
static inline void gaussian_weights4(const __m128i p0[2], const __m128i p1[2], const __m256d s[2],
                                     double wts[2][6][4], __m256d sum[2]) {
    const double a = 1.0 / (2 * DIFFEO_SIGMA * DIFFEO_SIGMA);
    const __m256d na = _mm256_set1_pd(-a), q = _mm256_set1_pd(exp(-2 * a));
    __m256d e[4];
    for (int ax = 0; ax < 2; ax++) {
        const __m256d d = _mm256_sub_pd(_mm256_cvtepi32_pd(p0[ax]), s[ax]);
        e[2 * ax] = _mm256_mul_pd(_mm256_mul_pd(na, d), d);                                   // -a d d
        e[2 * ax + 1] = _mm256_mul_pd(na, _mm256_add_pd(_mm256_add_pd(d, d), _mm256_set1_pd(1.0))); // -a (2d + 1)
    }
    exp4x4(e);
    for (int ax = 0; ax < 2; ax++) {
        __m256d wk = e[2 * ax], rk = e[2 * ax + 1], total = _mm256_setzero_pd();
        const __m128i last = _mm_sub_epi32(p1[ax], p0[ax]); // slots 0..last are in the window
        for (int k = 0; k < 6; k++) {
            const __m128i inside = _mm_cmpgt_epi32(_mm_add_epi32(last, _mm_set1_epi32(1)), _mm_set1_epi32(k));
            const __m256d wv = _mm256_and_pd(wk, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(inside)));
            _mm256_store_pd(wts[ax][k], wv);
            total = _mm256_add_pd(total, wv);
            wk = _mm256_mul_pd(wk, rk);
            rk = _mm256_mul_pd(rk, q);
        }
        sum[ax] = total;
    }
}

/**
 * Gaussian remap of one sample (gaussian_pixel of diffeo_math.cuh): window weights four pixels at a
 * time, then the four window sums side by side, each lane in the reference's order. The image is
 * first copied into a zero-padded buffer (5 more columns and rows than any window can reach), so
 * every window can be read as 6 x 6: a slot outside the reference's clipped window has weight 0 and
 * reads a padding 0, and adding +0 leaves a sum unchanged. Row tails go through gaussian_pixel.
 */
static void gaussian_avx2(const float* in, int channels, int h, int w, const float* dx, const float* dy, float* out) {
    const int plane = h * w, pw = w + 8, ph = h + 6, pplane = pw * ph;
    thread_local std::vector<float> padded;
    if (padded.size() < (size_t)pplane * channels) padded.resize((size_t)pplane * channels);
    std::fill(padded.begin(), padded.begin() + (size_t)pplane * channels, 0.0f);
    for (int c = 0; c < channels; c++)
        for (int y = 0; y < h; y++) std::memcpy(&padded[(size_t)c * pplane + y * pw], in + c * plane + y * w, sizeof(float) * w);
    const __m128 maxx = _mm_set1_ps((float)(w - 1)), maxy = _mm_set1_ps((float)(h - 1));
    const __m128i zero = _mm_setzero_si128();
    alignas(32) double wts[2][6][4];
    double (*wx)[4] = wts[0], (*wy)[4] = wts[1];
    alignas(16) int base[4];
    for (int y = 0; y < h; y++) {
        int x = 0;
        for (; x + 4 <= w; x += 4) {
            const int p = y * w + x;
            __m128 xs = _mm_cvtepi32_ps(_mm_add_epi32(_mm_set1_epi32(x), _mm_setr_epi32(0, 1, 2, 3)));
            __m128 sxf = _mm_sub_ps(xs, _mm_loadu_ps(dx + p)), syf = _mm_sub_ps(_mm_set1_ps((float)y), _mm_loadu_ps(dy + p));
            // clamp_coord: v < 0 -> 0, v > max -> max
            sxf = _mm_blendv_ps(_mm_blendv_ps(sxf, maxx, _mm_cmpgt_ps(sxf, maxx)), _mm_setzero_ps(), _mm_cmplt_ps(sxf, _mm_setzero_ps()));
            syf = _mm_blendv_ps(_mm_blendv_ps(syf, maxy, _mm_cmpgt_ps(syf, maxy)), _mm_setzero_ps(), _mm_cmplt_ps(syf, _mm_setzero_ps()));
            const __m128i fx = _mm_max_epi32(_mm_cvttps_epi32(sxf), zero), fy = _mm_max_epi32(_mm_cvttps_epi32(syf), zero);
            const __m128i x0 = _mm_max_epi32(_mm_sub_epi32(fx, _mm_set1_epi32(DIFFEO_WINDOW_LOW)), zero);
            const __m128i x1 = _mm_min_epi32(_mm_add_epi32(fx, _mm_set1_epi32(DIFFEO_WINDOW_HIGH)), _mm_set1_epi32(w - 1));
            const __m128i y0 = _mm_max_epi32(_mm_sub_epi32(fy, _mm_set1_epi32(DIFFEO_WINDOW_LOW)), zero);
            const __m128i y1 = _mm_min_epi32(_mm_add_epi32(fy, _mm_set1_epi32(DIFFEO_WINDOW_HIGH)), _mm_set1_epi32(h - 1));
            const __m128i p0[2] = {x0, y0}, p1[2] = {x1, y1};
            const __m256d sv[2] = {_mm256_cvtps_pd(sxf), _mm256_cvtps_pd(syf)};
            __m256d sums[2];
            gaussian_weights4(p0, p1, sv, wts, sums);
            const __m256d nv = _mm256_div_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(sums[0], sums[1]));
            _mm_store_si128((__m128i*)base, _mm_add_epi32(_mm_mullo_epi32(y0, _mm_set1_epi32(pw)), x0));
            for (int c = 0; c < channels; c++) {
                // Row k of pixel l's window is 6 contiguous floats; transposing four of them puts
                // element m of every pixel's row in vector m (shuffles, not gathers).
                const float* b = padded.data() + (size_t)c * pplane;
                const float *r0 = b + base[0], *r1 = b + base[1], *r2 = b + base[2], *r3 = b + base[3];
                __m256d acc = _mm256_setzero_pd();
                for (int k = 0; k < 6; k++, r0 += pw, r1 += pw, r2 += pw, r3 += pw) {
                    __m128 a0 = _mm_loadu_ps(r0), a1 = _mm_loadu_ps(r1), a2 = _mm_loadu_ps(r2), a3 = _mm_loadu_ps(r3);
                    _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
                    const __m128 t01 = _mm_unpacklo_ps(_mm_castpd_ps(_mm_load_sd((const double*)(r0 + 4))),
                                                       _mm_castpd_ps(_mm_load_sd((const double*)(r1 + 4))));
                    const __m128 t23 = _mm_unpacklo_ps(_mm_castpd_ps(_mm_load_sd((const double*)(r2 + 4))),
                                                       _mm_castpd_ps(_mm_load_sd((const double*)(r3 + 4))));
                    const __m128 col[6] = {a0, a1, a2, a3, _mm_movelh_ps(t01, t23), _mm_movehl_ps(t23, t01)};
                    __m256d row = _mm256_setzero_pd();
                    for (int m = 0; m < 6; m++)
                        row = _mm256_add_pd(row, _mm256_mul_pd(_mm256_load_pd(wx[m]), _mm256_cvtps_pd(col[m])));
                    acc = _mm256_add_pd(acc, _mm256_mul_pd(_mm256_load_pd(wy[k]), row));
                }
                _mm_storeu_ps(out + c * plane + p, _mm256_cvtpd_ps(_mm256_mul_pd(acc, nv)));
            }
        }
        for (; x < w; x++) gaussian_pixel(in, channels, h, w, x, y, dx[y * w + x], dy[y * w + x], out);
    }
}
