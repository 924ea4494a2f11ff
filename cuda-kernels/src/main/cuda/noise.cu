// noise.cu — the isotropic noise of G_f (stability.Noise.add): out = clean + g / ||g|| * ||deformed - clean||
// per sample, g drawn at (seed, first + s, STREAM_NOISE, k). One block per sample (grid-stride);
// both norms are block sums in double; g is drawn twice (norm, then write) instead of stored.
// clean, deformed, out: [count][size].
#include "kernel_common.cuh"

using namespace diffeo;

extern "C" __global__ void diffeo_noise(const float* __restrict__ clean, const float* __restrict__ deformed,
                                        float* __restrict__ out, int count, int size, unsigned long long seed,
                                        unsigned long long first) {
    __shared__ double red[DIFFEO_MAX_THREADS];
    const int blocks = (size + 3) / 4;
    for (int s = blockIdx.x; s < count; s += gridDim.x) {
        const float* x = clean + (size_t)s * size;
        const float* y = deformed + (size_t)s * size;
        float* o = out + (size_t)s * size;
        const uint64_t sample = (uint64_t)(first + s);
        double gg = 0, dd = 0;
        for (int b = threadIdx.x; b < blocks; b += blockDim.x) {
            double n[4];
            normal_block((uint64_t)seed, sample, STREAM_NOISE, (uint32_t)b, n);
            for (int lane = 0; lane < 4 && 4 * b + lane < size; lane++) gg += n[lane] * n[lane];
        }
        for (int k = threadIdx.x; k < size; k += blockDim.x) {
            double d = (double)y[k] - x[k];
            dd += d * d;
        }
        gg = block_sum(gg, red);
        dd = block_sum(dd, red);
        const double scale = sqrt(dd) / sqrt(gg);
        for (int b = threadIdx.x; b < blocks; b += blockDim.x) {
            double n[4];
            normal_block((uint64_t)seed, sample, STREAM_NOISE, (uint32_t)b, n);
            for (int lane = 0; lane < 4 && 4 * b + lane < size; lane++) {
                const int k = 4 * b + lane;
                o[k] = (float)(x[k] + n[lane] * scale);
            }
        }
    }
}
