package org.diffeo4j.data;

/**
 * A block of accelerator memory holding floats, owned by the backend that allocated it (its
 * {@link #owner()}); the owner's module implements it, so core names no device API. Closing it
 * frees the memory; closing it twice is harmless.
 */
public abstract class DeviceMemory implements AutoCloseable {
    private final long floats;

    protected DeviceMemory(long floats) {
        this.floats = floats;
    }

    /** Number of floats it holds. */
    public final long floats() {
        return floats;
    }

    /** Name of the backend that owns it ({@code cuda}). */
    public abstract String owner();

    /** Device address of the first float, for the owner's kernels. */
    public abstract long address();

    /** Copies {@code n} floats from float {@code from} of this block into {@code dst[offset ..]}. */
    public abstract void download(long from, float[] dst, int offset, int n);

    /** Copies {@code n} floats from {@code src[offset ..]} into this block at float {@code to}. */
    public abstract void upload(float[] src, int offset, long to, int n);

    /** Frees the device memory. */
    @Override
    public abstract void close();
}
