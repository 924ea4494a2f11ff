package org.diffeo4j.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The twin harness on a real GPU through JCuda: skipped, with the reason, where the cuda backend
 * is not available (no driver, no device, kernels not built). Run on a GPU machine with
 * {@code mvn -pl cuda-kernels -am verify} or the device bundle (docs/BENCHMARKS.md).
 */
@Tag("gpu")
class GpuTwinTest extends CudaTwinHarness {
    @Override
    CudaBackend open() {
        return CudaBackend.availability().available() ? CudaBackend.open(0) : null;
    }

    @Override
    String skipReason() {
        return "the cuda backend is not available here: " + CudaBackend.availability().reason();
    }

    @Override
    int[] largeBatchShape() {
        return new int[] {32, 32, 3, 15, 100_000};
    }
}
