// deform.cu — the fused pipeline (DiffeoBackend.deform): per sample, one block draws both
// coefficient grids into shared memory, synthesises the fields by row tiles and remaps each pixel
// as soon as its (dx, dy) is known; fields never touch global memory. Grid-stride over samples.
// Sample s draws at stream address first + s. in, out: [count][channels][h][w].
// Dynamic shared memory (LaunchGeometry.Tile): [2*cut*cut z][cut*w x table if shared_bx][2*cut*row_tile A].
// Kernels diffeo_deform_bilinear, _gaussian, _nearest; bilinear and nearest also _c1, _c3 (DIFFEO_INTERP_KERNELS).
#include "kernel_common.cuh"

using namespace diffeo;

namespace {
template <int Interp, int Channels>
struct RemapSink {
    const float* in;
    float* out;
    int channels, h, w;
    DIFFEO_D void operator()(int x, int y, float dx, float dy) {
        remap_pixel(Interp, in, Channels > 0 ? Channels : channels, h, w, x, y, dx, dy, out);
    }
};

template <int Interp, int Channels>
DIFFEO_D void deform_samples(const float* __restrict__ in, float* __restrict__ out, int count, int channels, int h,
                             int w, int cut, double scale_x, double scale_y, unsigned long long seed,
                             unsigned long long first, const double* weights, const double* by_d, const float* bx,
                             const double* bx_e, const double* by_e, int shared_bx, int row_tile) {
    DIFFEO_DYNAMIC_SHARED(float, smem);
    __shared__ double red[2 * DIFFEO_MAX_THREADS];
    const Tables t = {weights, by_d, bx, bx_e, by_e};
    const int cc = cut * cut;
    float* zu = smem;
    float* zv = zu + cc;
    float* a = zv + cc + (shared_bx ? cut * w : 0);
    const size_t size = (size_t)channels * h * w;
    auto samples = [&](const float* bxs) {
        for (int s = blockIdx.x; s < count; s += gridDim.x) {
            block_draw(cut, (uint64_t)seed, (uint64_t)(first + s), zu, zv); // its barrier also publishes bxs
            const Paths exact = block_paths(weights, zu, zv, cut, scale_x, scale_y, red);
            RemapSink<Interp, Channels> sink = {in + s * size, out + s * size, channels, h, w};
            block_synthesize(t, bxs, zu, zv, cut, h, w, scale_x, scale_y, exact, a, row_tile, sink);
        }
    };
    // Two call sites, so that the compiler knows which memory the x table is in (shared loads in the
    // common case instead of generic ones).
    if (shared_bx) samples(stage_bx(bx, cut, w, shared_bx, zv + cc));
    else samples(bx);
}
} // namespace

DIFFEO_INTERP_KERNELS(DIFFEO_SAMPLE_KERNEL, diffeo_deform, deform_samples,
                      (const float* __restrict__ in, float* __restrict__ out, int count, int channels, int h, int w,
                       int cut, double scale_x, double scale_y, unsigned long long seed, unsigned long long first,
                       const double* weights, const double* by_d, const float* bx, const double* bx_e,
                       const double* by_e, int shared_bx, int row_tile),
                      (in, out, count, channels, h, w, cut, scale_x, scale_y, seed, first, weights, by_d, bx, bx_e,
                       by_e, shared_bx, row_tile))
