package org.diffeo4j.cuda;

/**
 * Floats in device memory owned by a {@link CudaBackend}: for pipelines that keep batches on the
 * GPU and call the backend's device-address methods. Freed by {@link #close} or with the backend.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaBackend owner;
    private final long address;
    private final long floats;

    DeviceBuffer(CudaBackend owner, long address, long floats) {
        this.owner = owner;
        this.address = address;
        this.floats = floats;
    }

    /** The device address, for the backend's methods (and any CUDA code in the process). */
    public long address() {
        return address;
    }

    /** The address of float {@code index}. */
    public long address(long index) {
        check(index, 0);
        return address + index * Float.BYTES;
    }

    public long floats() {
        return floats;
    }

    /** Copies {@code src} to the start of this buffer. */
    public void upload(float[] src) {
        check(0, src.length);
        owner.upload(this, 0, src, 0, src.length);
    }

    /** Copies the first {@code dst.length} floats of this buffer into {@code dst}, after all earlier work. */
    public void download(float[] dst) {
        check(0, dst.length);
        owner.download(this, 0, dst, 0, dst.length);
    }

    @Override
    public void close() {
        owner.release(this);
    }

    private void check(long index, long count) {
        if (index < 0 || count < 0 || index + count > floats) {
            throw new IllegalArgumentException("range must lie in the buffer's " + floats + " floats, found ["
                    + index + ", " + (index + count) + ")");
        }
    }
}
