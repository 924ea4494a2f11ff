// simd_avx2.h — hand-vectorised AVX2 loops the compiler does not find by itself. Included by
// cpu_kernels.h only inside namespace diffeo::avx2, i.e. under #pragma GCC target("avx2,fma"), and
// only ever run after __builtin_cpu_supports said yes.
//
// Bit-for-bit the operations of the scalar code: separate multiply and add (no FMA: Java rounds
// twice, and a fused a*b+c would move a nearest-neighbour sample across a half-pixel now and then),
// the same summation order, the same comparisons for the clamp.

/** Row block of the second synthesis product: out[y][x] = sum_i a[i][y] bx[i][x] over i ascending, zero a skipped. */
static void rows_times_basis(const float* a, int h, int c, const float* bx, int w, float* out) {
    for (int y = 0; y < h; y++) {
        float* row = out + y * w;
        int x = 0;
        for (; x + 32 <= w; x += 32) { // four accumulators stay in registers across the modes
            __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < c; i++) {
                float ai = a[i * h + y];
                if (ai == 0.0f) continue;
                const __m256 va = _mm256_set1_ps(ai);
                const float* b = bx + i * w + x;
                s0 = _mm256_add_ps(s0, _mm256_mul_ps(va, _mm256_loadu_ps(b)));
                s1 = _mm256_add_ps(s1, _mm256_mul_ps(va, _mm256_loadu_ps(b + 8)));
                s2 = _mm256_add_ps(s2, _mm256_mul_ps(va, _mm256_loadu_ps(b + 16)));
                s3 = _mm256_add_ps(s3, _mm256_mul_ps(va, _mm256_loadu_ps(b + 24)));
            }
            _mm256_storeu_ps(row + x, s0);
            _mm256_storeu_ps(row + x + 8, s1);
            _mm256_storeu_ps(row + x + 16, s2);
            _mm256_storeu_ps(row + x + 24, s3);
        }
        for (; x < w; x += 8) { // 8 at a time, the last block masked
            const int len = w - x < 8 ? w - x : 8;
            const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(len), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            __m256 s = _mm256_setzero_ps();
            for (int i = 0; i < c; i++) {
                float ai = a[i * h + y];
                if (ai == 0.0f) continue;
                s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_set1_ps(ai), _mm256_maskload_ps(bx + i * w + x, mask)));
            }
            _mm256_maskstore_ps(row + x, mask, s);
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
