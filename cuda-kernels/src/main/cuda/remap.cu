// remap.cu — batched remap (Remap.sample), NCHW, one field pair per sample: one thread per output
// pixel (all channels), grid-stride over count*h*w. in, out: [count][channels][h][w]; dx, dy: [count][h][w].
// Kernels diffeo_remap_bilinear, _gaussian, _nearest; bilinear and nearest also _c1, _c3 (DIFFEO_INTERP_KERNELS).
#include "kernel_common.cuh"

using namespace diffeo;

namespace {
template <int Interp, int Channels>
DIFFEO_D void remap_pixels(const float* __restrict__ in, const float* __restrict__ dx, const float* __restrict__ dy,
                           float* __restrict__ out, int count, int channels, int h, int w) {
    const long long plane = (long long)h * w, total = plane * count;
    for (long long q = blockIdx.x * (long long)blockDim.x + threadIdx.x; q < total;
         q += (long long)gridDim.x * blockDim.x) {
        const long long s = q / plane;
        const int p = (int)(q - s * plane), y = p / w, x = p - y * w;
        const int ch = Channels > 0 ? Channels : channels;
        const long long base = s * plane * ch;
        remap_pixel(Interp, in + base, ch, h, w, x, y, dx[q], dy[q], out + base);
    }
}
} // namespace

DIFFEO_INTERP_KERNELS(extern "C" __global__ void, diffeo_remap, remap_pixels,
                      (const float* __restrict__ in, const float* __restrict__ dx, const float* __restrict__ dy,
                       float* __restrict__ out, int count, int channels, int h, int w),
                      (in, dx, dy, out, count, channels, h, w))
