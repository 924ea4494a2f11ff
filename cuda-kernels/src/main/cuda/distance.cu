// distance.cu — per-sample squared distances ||a_s - b_s||^2 in double (the D_f and G_f numerators
// and the noise norms of the stability statistics). One block per sample (grid-stride), a block sum.
// a, b: [count][size]; out: [count] doubles.
#include "kernel_common.cuh"

using namespace diffeo;

extern "C" __global__ void diffeo_distance(const float* __restrict__ a, const float* __restrict__ b, double* out,
                                           int count, int size) {
    __shared__ double red[DIFFEO_MAX_THREADS];
    for (int s = blockIdx.x; s < count; s += gridDim.x) {
        const float* x = a + (size_t)s * size;
        const float* y = b + (size_t)s * size;
        double sum = 0;
        for (int k = threadIdx.x; k < size; k += blockDim.x) {
            double d = (double)y[k] - x[k];
            sum += d * d;
        }
        sum = block_sum(sum, red);
        if (threadIdx.x == 0) out[s] = sum;
    }
}
