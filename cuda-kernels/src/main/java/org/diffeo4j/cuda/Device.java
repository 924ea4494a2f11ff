package org.diffeo4j.cuda;

/**
 * What {@link CudaBackend} needs of a GPU: memory, copies in stream order, launches. {@link JCudaDevice}
 * is the real one (JCuda driver API); the tests also run the backend on a CPU emulator of the
 * kernels, so everything above this interface (geometry, chunking, argument lists) is checked
 * against the Java reference on machines without a GPU.
 *
 * <p>Copies and launches are ordered as issued; {@link #download} returns with the data in place.
 */
interface Device extends AutoCloseable {
    /** The device in words, for reports. */
    String describe();

    DeviceLimits limits();

    /** Allocates {@code bytes} of device memory; returns its address. */
    long alloc(long bytes);

    void free(long address);

    /** Copies {@code src[from .. from+count)} to the device at {@code dst}. */
    void upload(long dst, float[] src, int from, int count);

    /** Copies {@code count} floats at {@code src} into {@code dst[from ..]}, after all earlier work. */
    void download(float[] dst, int from, long src, int count);

    /** As {@link #download(float[], int, long, int)} for doubles. */
    void download(double[] dst, int from, long src, int count);

    void launch(Launch launch);

    /** Waits until everything issued so far has finished. */
    void synchronize();

    @Override
    void close();

    /**
     * @param multiprocessors SMs, sizing grid-stride launches
     * @param sharedPerBlock dynamic shared memory a block may use without opting in
     */
    record DeviceLimits(int multiprocessors, int sharedPerBlock, long totalMemory) {
    }
}
