/**
 * The native CPU backend: C++ kernels compiled from the per-pixel math header shared with the CUDA
 * kernels ({@code cuda-kernels/src/main/cuda/diffeo_math.cuh}), vectorised (AVX2/FMA chosen at run
 * time, generic x86-64 otherwise) and threaded over samples, reached through JNI that JavaCPP
 * generates at build time. {@link org.diffeo4j.cpu.NativeBackend} is the backend;
 * {@link org.diffeo4j.cpu.NativeBackendProvider} registers it with core's ServiceLoader;
 * {@link org.diffeo4j.cpu.DiffeoNative} is the raw JNI surface. JavaCPP types stay in this package.
 */
package org.diffeo4j.cpu;
