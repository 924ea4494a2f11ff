package org.diffeo4j.cuda;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.DiffeoBackend;

/** Registers the cuda backend with core (priority 30: first with {@code auto} where a GPU is present). */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public Availability availability() {
        return CudaSupport.availability();
    }

    /** Opens device 0 ({@code threads} does not apply: the GPU runs every sample at once). */
    @Override
    public DiffeoBackend open(int threads) {
        return CudaBackend.open(0);
    }
}
