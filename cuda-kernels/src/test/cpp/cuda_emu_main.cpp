// cuda_emu_main.cpp — the CPU emulator of the kernels as a process the Java tests drive
// (org.diffeo4j.cuda.EmulatedDevice): "device" memory is this process's heap, kernels are the .cu
// files of src/main/cuda compiled by g++ under cuda_emu.h. Launch arguments arrive with type tags
// and are checked against each kernel's C signature, so the host side's argument lists are tested
// too. Protocol on stdin/stdout, little-endian, one reply per request (status 0 = ok):
//   'A' u64 bytes -> u64 address | 'F' u64 address | 'U' u64 address, u64 n, n bytes
//   'D' u64 address, u64 n -> n bytes | 'Q'
//   'L' u32 name length, name, u32 grid, u32 block, u32 shared bytes, u32 argc, argc x (u8 tag, u64 bits)
//        tags: P pointer, I int32, L int64, D double
#include "cuda_emu.h"

#include "../../main/cuda/basis.cu"
#include "../../main/cuda/deform.cu"
#include "../../main/cuda/distance.cu"
#include "../../main/cuda/draw.cu"
#include "../../main/cuda/noise.cu"
#include "../../main/cuda/remap.cu"
#include "../../main/cuda/synthesize.cu"

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

namespace {

template <class T> char tag_of() {
    if constexpr (std::is_pointer_v<T>) return 'P';
    else if constexpr (std::is_same_v<T, double>) return 'D';
    else if constexpr (sizeof(T) == 8) return 'L';
    else return 'I';
}

template <class T> T value_of(uint64_t bits) {
    if constexpr (std::is_pointer_v<T>) return reinterpret_cast<T>(bits);
    else if constexpr (std::is_same_v<T, double>) {
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    } else return (T)bits;
}

struct Kernel {
    std::string signature;
    std::function<void(const std::vector<uint64_t>&)> call;
};

template <class... A, size_t... I>
void invoke(void (*f)(A...), const std::vector<uint64_t>& a, std::index_sequence<I...>) {
    f(value_of<A>(a[I])...);
}

template <class... A> Kernel wrap(void (*f)(A...)) {
    return {std::string{tag_of<A>()...}, [f](const std::vector<uint64_t>& a) {
                invoke(f, a, std::index_sequence_for<A...>{});
            }};
}

// The kernels DIFFEO_INTERP_KERNELS (kernel_common.cuh) makes of one body, by name.
#define DIFFEO_EMU_KERNELS_OF(NAME) {#NAME, wrap(NAME)}, {#NAME "_c1", wrap(NAME##_c1)}, {#NAME "_c3", wrap(NAME##_c3)}
#define DIFFEO_EMU_INTERP_KERNELS(NAME)                                                                 \
    DIFFEO_EMU_KERNELS_OF(NAME##_bilinear), {#NAME "_gaussian", wrap(NAME##_gaussian)},              \
        DIFFEO_EMU_KERNELS_OF(NAME##_nearest)

const std::map<std::string, Kernel>& kernels() {
    static const std::map<std::string, Kernel> k = {
        {"diffeo_basis", wrap(diffeo_basis)},
        DIFFEO_EMU_INTERP_KERNELS(diffeo_deform),
        {"diffeo_distance", wrap(diffeo_distance)},
        {"diffeo_draw", wrap(diffeo_draw)},
        {"diffeo_noise", wrap(diffeo_noise)},
        DIFFEO_EMU_INTERP_KERNELS(diffeo_remap),
        {"diffeo_synthesize", wrap(diffeo_synthesize)},
    };
    return k;
}

template <class T> T read_value() {
    T v;
    if (std::fread(&v, sizeof v, 1, stdin) != 1) std::exit(0); // the Java side went away
    return v;
}

void reply(uint32_t status) {
    std::fwrite(&status, sizeof status, 1, stdout);
}

void fail(const std::string& message) { // status 1, then the message
    reply(1);
    uint32_t n = (uint32_t)message.size();
    std::fwrite(&n, sizeof n, 1, stdout);
    std::fwrite(message.data(), 1, n, stdout);
}

} // namespace

int main() {
    for (;;) {
        const char op = read_value<char>();
        if (op == 'Q') return 0;
        if (op == 'A') {
            uint64_t bytes = read_value<uint64_t>();
            void* p = std::malloc(bytes == 0 ? 1 : bytes);
            if (p == nullptr) {
                fail("out of memory allocating " + std::to_string(bytes) + " bytes");
            } else {
                std::memset(p, 0xFF, bytes); // NaN until written, as a fresh cudaMalloc is garbage
                reply(0);
                uint64_t address = (uint64_t)p;
                std::fwrite(&address, sizeof address, 1, stdout);
            }
        } else if (op == 'F') {
            std::free((void*)read_value<uint64_t>());
            reply(0);
        } else if (op == 'U') {
            uint64_t address = read_value<uint64_t>(), n = read_value<uint64_t>();
            if (std::fread((void*)address, 1, n, stdin) != n) return 0;
            reply(0);
        } else if (op == 'D') {
            uint64_t address = read_value<uint64_t>(), n = read_value<uint64_t>();
            reply(0);
            std::fwrite((const void*)address, 1, n, stdout);
        } else if (op == 'L') {
            uint32_t len = read_value<uint32_t>();
            std::string name(len, '\0');
            if (std::fread(name.data(), 1, len, stdin) != len) return 0;
            uint32_t grid = read_value<uint32_t>(), block = read_value<uint32_t>(), shared = read_value<uint32_t>();
            uint32_t argc = read_value<uint32_t>();
            std::string tags;
            std::vector<uint64_t> args;
            for (uint32_t k = 0; k < argc; k++) {
                tags += read_value<char>();
                args.push_back(read_value<uint64_t>());
            }
            auto it = kernels().find(name);
            if (it == kernels().end()) {
                fail("no kernel named " + name);
            } else if (it->second.signature != tags) {
                fail(name + " takes arguments " + it->second.signature + ", found " + tags);
            } else if (block == 0 || block > 1024 || grid == 0) {
                fail(name + ": grid and block must be >= 1 and block <= 1024, found " + std::to_string(grid) + " x " +
                     std::to_string(block));
            } else {
                emu::launch(dim3{grid, 1, 1}, dim3{block, 1, 1}, shared, [&] { it->second.call(args); });
                reply(0);
            }
        } else {
            fail(std::string("unknown request ") + op);
        }
        std::fflush(stdout);
    }
}
