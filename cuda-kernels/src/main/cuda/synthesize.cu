// synthesize.cu — field pairs from given coefficients (FieldSynthesis), one block per sample
// (grid-stride over samples), by row tiles whose first products live in shared memory.
// zu, zv: [count][cut][cut]; dx, dy: [count][h][w].
// Dynamic shared memory (LaunchGeometry.Tile): [cut*w x table if shared_bx][2 * cut * row_tile A].
#include "kernel_common.cuh"

using namespace diffeo;

namespace {
struct StoreSink {
    float *dx, *dy;
    int w;
    DIFFEO_D void operator()(int x, int y, float u, float v) {
        dx[y * w + x] = u;
        dy[y * w + x] = v;
    }
};
} // namespace

DIFFEO_SAMPLE_KERNEL diffeo_synthesize(const float* zu, const float* zv, float* dx, float* dy, int count, int cut,
                                             int h, int w, double scale_x, double scale_y, const double* weights,
                                             const double* by_d, const float* bx, const double* bx_e,
                                             const double* by_e, int shared_bx, int row_tile) {
    DIFFEO_DYNAMIC_SHARED(float, smem);
    __shared__ double red[2 * DIFFEO_MAX_THREADS];
    const Tables t = {weights, by_d, bx, bx_e, by_e};
    float* a = smem + (shared_bx ? cut * w : 0);
    const size_t cc = (size_t)cut * cut, plane = (size_t)h * w;
    auto samples = [&](const float* bxs) {
        for (int s = blockIdx.x; s < count; s += gridDim.x) {
            const float *u = zu + s * cc, *v = zv + s * cc;
            const Paths exact = block_paths(weights, u, v, cut, scale_x, scale_y, red); // its barriers also publish bxs
            StoreSink sink = {dx + s * plane, dy + s * plane, w};
            block_synthesize(t, bxs, u, v, cut, h, w, scale_x, scale_y, exact, a, row_tile, sink);
        }
    };
    if (shared_bx) samples(stage_bx(bx, cut, w, shared_bx, smem)); // two call sites: see deform.cu
    else samples(bx);
}
