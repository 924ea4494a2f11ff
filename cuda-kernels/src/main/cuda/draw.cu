// draw.cu — coefficients of samples first .. first+count-1 (CoefficientBatch.draw): one work item
// per (sample, stream, Philox block), grid-stride. zu, zv: [count][cut][cut].
#include "kernel_common.cuh"

using namespace diffeo;

extern "C" __global__ void diffeo_draw(float* zu, float* zv, int count, int cut, unsigned long long seed,
                                       unsigned long long first) {
    const long long blocks = (cut * cut + 3) / 4, per_sample = 2 * blocks;
    const long long total = per_sample * count;
    for (long long item = blockIdx.x * (long long)blockDim.x + threadIdx.x; item < total;
         item += (long long)gridDim.x * blockDim.x) {
        const long long s = item / per_sample;
        const int r = (int)(item - s * per_sample), stream = r < blocks ? STREAM_U : STREAM_V;
        float* z = (stream == STREAM_U ? zu : zv) + s * cut * cut;
        draw_philox_block(cut, (uint64_t)seed, (uint64_t)(first + s), stream, (int)(r % blocks), z);
    }
}
