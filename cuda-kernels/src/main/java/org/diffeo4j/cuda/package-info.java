/**
 * The GPU backend: hand-written CUDA kernels (src/main/cuda, built to PTX and fatbin by nvcc at
 * {@code mvn package}) launched through the JCuda driver API. {@link org.diffeo4j.cuda.CudaBackend}
 * is the entry point; {@code CudaBackendProvider} registers it as {@code cuda}.
 */
package org.diffeo4j.cuda;
