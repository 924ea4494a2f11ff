// cuda_emu.h — just enough of CUDA's execution model to run diffeo4j's kernels on the CPU, for the
// tests: every thread of a block is a fiber (ucontext) on one OS thread, __syncthreads switches to
// the next fiber, and a block's fibers advance barrier by barrier, so shared memory, barriers and
// grid-stride loops behave as on the GPU. Blocks run one after another. Deliberately strict:
// dynamic shared memory starts as NaN bytes each block (reads of unwritten shared memory show up in
// the results), and a barrier that not every thread of the block reaches aborts the emulator.
#ifndef DIFFEO_CUDA_EMU_H
#define DIFFEO_CUDA_EMU_H

#include <ucontext.h>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

inline dim3 threadIdx, blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __host__
#define __shared__ static

namespace emu {

inline ucontext_t scheduler;
inline std::vector<ucontext_t> fibers;
inline std::vector<char> stacks;
inline std::vector<char> finished;
inline std::vector<unsigned char> shared_memory;
inline std::function<void()> body;
inline int current = 0;
constexpr size_t STACK_BYTES = 64 * 1024;

inline void fiber_entry() {
    body();
    finished[current] = 1; // returns to uc_link, the scheduler
}

/** Runs body as the kernel over grid x block threads with shared_bytes of dynamic shared memory. */
inline void launch(dim3 grid, dim3 block, size_t shared_bytes, std::function<void()> kernel) {
    gridDim = grid;
    blockDim = block;
    body = std::move(kernel);
    const int threads = (int)(block.x * block.y * block.z);
    fibers.assign(threads, ucontext_t{});
    stacks.assign((size_t)threads * STACK_BYTES, 0);
    finished.assign(threads, 0);
    for (unsigned bz = 0; bz < grid.z; bz++)
        for (unsigned by = 0; by < grid.y; by++)
            for (unsigned bx = 0; bx < grid.x; bx++) {
                blockIdx = {bx, by, bz};
                shared_memory.assign(shared_bytes + 16, 0xFF); // NaN floats and doubles until written
                for (int t = 0; t < threads; t++) {
                    getcontext(&fibers[t]);
                    fibers[t].uc_stack.ss_sp = stacks.data() + (size_t)t * STACK_BYTES;
                    fibers[t].uc_stack.ss_size = STACK_BYTES;
                    fibers[t].uc_link = &scheduler;
                    makecontext(&fibers[t], fiber_entry, 0);
                    finished[t] = 0;
                }
                for (bool waiting = true; waiting;) { // one round = every live thread up to its next barrier
                    int ended = 0, parked = 0;
                    for (int t = 0; t < threads; t++) {
                        if (finished[t]) continue;
                        current = t;
                        threadIdx = {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
                        swapcontext(&scheduler, &fibers[t]);
                        if (finished[t]) ended++;
                        else parked++;
                    }
                    if (ended > 0 && parked > 0) {
                        std::fprintf(stderr, "cuda-emu: %d thread(s) of block %u ended while %d wait at a barrier\n",
                                     ended, bx, parked);
                        std::abort();
                    }
                    waiting = parked > 0;
                }
            }
}

} // namespace emu

inline void __syncthreads() {
    swapcontext(&emu::fibers[emu::current], &emu::scheduler);
}

inline void* emu_dynamic_shared() {
    return emu::shared_memory.data();
}

#endif // DIFFEO_CUDA_EMU_H
