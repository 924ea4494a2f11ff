package org.diffeo4j.bench;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.cuda.CudaBackend;
import org.diffeo4j.cuda.DeviceBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * backend=cuda in the JMH benchmarks: the inputs go to the GPU once in set-up and each invocation
 * runs the device-address entry points and synchronises, so the score is kernel time (issue 5:
 * "data resident on the device"). Host-device copies are measured apart, in TransferBenchmark.
 */
final class CudaResident implements AutoCloseable {
    final CudaBackend cuda;
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    private CudaResident(CudaBackend cuda) {
        this.cuda = cuda;
    }

    /** Null unless {@code b} is the cuda backend. */
    static CudaResident of(DiffeoBackend b) {
        return b instanceof CudaBackend c ? new CudaResident(c) : null;
    }

    /** A device buffer holding {@code data}. */
    DeviceBuffer upload(float[] data) {
        DeviceBuffer d = cuda.allocate(data.length);
        d.upload(data);
        buffers.add(d);
        return d;
    }

    /** An uninitialised device buffer of {@code floats}. */
    DeviceBuffer allocate(long floats) {
        DeviceBuffer d = cuda.allocate(floats);
        buffers.add(d);
        return d;
    }

    /** Frees the device buffers of {@code gpu} (null when not cuda), then closes the backend. */
    static void close(CudaResident gpu, DiffeoBackend b) {
        if (gpu != null) {
            gpu.close();
        }
        b.close();
    }

    @Override
    public void close() {
        buffers.forEach(DeviceBuffer::close);
        buffers.clear();
    }
}
