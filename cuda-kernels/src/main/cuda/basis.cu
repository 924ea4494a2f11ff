// basis.cu — the tables of one (cut, h, w), from the header's mode_weight, sine_basis and
// sine_basis_exact, so the GPU uses the same tables as the native backend. Run once per shape; the
// host keeps them on the device. Grid-stride over every table entry.
#include "kernel_common.cuh"

using namespace diffeo;

extern "C" __global__ void diffeo_basis(double* weights, double* by_d, float* bx, double* bx_e, double* by_e, int cut,
                                        int h, int w) {
    const int nw = cut * cut, ny = cut * h, nx = cut * w;
    const int total = nw + 2 * ny + 2 * nx;
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < total; k += gridDim.x * blockDim.x) {
        if (k < nw) {
            weights[k] = mode_weight(cut, k / cut + 1, k % cut + 1);
        } else if (k < nw + ny) {
            int q = k - nw, i = q / h + 1, a = q % h;
            by_d[q] = (double)sine_basis(h, i, a);
            by_e[q] = sine_basis_exact(h, i, a, false);
        } else if (k < nw + ny + nx) {
            int q = k - nw - ny, i = q / w + 1, a = q % w;
            bx[q] = sine_basis(w, i, a);
            bx_e[q] = sine_basis_exact(w, i, a, false);
        }
        // k beyond nw + ny + nx: the grid is sized for the larger count; nothing to do
    }
}
