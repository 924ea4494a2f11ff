// remap.cu — batched remap (Remap.sample), NCHW, one field pair per sample: one thread per output
// pixel (all channels), grid-stride over count*h*w. in, out: [count][channels][h][w]; dx, dy: [count][h][w].
#include "kernel_common.cuh"

using namespace diffeo;

extern "C" __global__ void diffeo_remap(const float* __restrict__ in, const float* __restrict__ dx,
                                        const float* __restrict__ dy, float* __restrict__ out, int count,
                                        int channels, int h, int w, int interp) {
    const long long plane = (long long)h * w, total = plane * count;
    for (long long q = blockIdx.x * (long long)blockDim.x + threadIdx.x; q < total;
         q += (long long)gridDim.x * blockDim.x) {
        const long long s = q / plane;
        const int p = (int)(q - s * plane), y = p / w, x = p - y * w;
        const long long base = s * plane * channels;
        remap_pixel(interp, in + base, channels, h, w, x, y, dx[q], dy[q], out + base);
    }
}
