package org.diffeo4j.cuda;

import org.diffeo4j.data.DeviceMemory;

/**
 * Floats in device memory owned by a {@link CudaBackend}, behind core's {@link DeviceMemory}: the
 * memory of the device-resident batches {@link CudaBackend#allocateImages} and
 * {@link CudaBackend#allocateFields} return. Freed by {@link #close} or with the backend.
 */
final class DeviceBuffer extends DeviceMemory {
    private final CudaBackend owner;
    private final long address;

    DeviceBuffer(CudaBackend owner, long address, long floats) {
        super(floats);
        this.owner = owner;
        this.address = address;
    }

    CudaBackend backend() {
        return owner;
    }

    @Override
    public String owner() {
        return CudaBackend.NAME;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public void download(long from, float[] dst, int offset, int n) {
        check(from, n);
        owner.download(this, from, dst, offset, n);
    }

    @Override
    public void upload(float[] src, int offset, long to, int n) {
        check(to, n);
        owner.upload(this, to, src, offset, n);
    }

    @Override
    public void close() {
        owner.release(this);
    }

    private void check(long index, long count) {
        if (index < 0 || count < 0 || index + count > floats()) {
            throw new IllegalArgumentException("range must lie in the buffer's " + floats() + " floats, found ["
                    + index + ", " + (index + count) + ")");
        }
    }
}
