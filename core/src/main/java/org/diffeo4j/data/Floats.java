package org.diffeo4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The floats behind a batch, wherever they live: a heap array, a direct buffer, or device memory.
 * Exactly one of {@link #array()}, {@link #buffer()}, {@link #device()} is non-null, matching
 * {@link #memory()}. Heap and direct buffers are freed by the garbage collector; device memory by
 * {@link #close()} when this view owns it.
 */
public final class Floats implements AutoCloseable {
    private final Memory memory;
    private final long length;
    private final float[] array;
    private final FloatBuffer buffer;
    private final DeviceMemory device;
    private final boolean owned;

    private Floats(Memory memory, long length, float[] array, FloatBuffer buffer, DeviceMemory device, boolean owned) {
        this.memory = memory;
        this.length = length;
        this.array = array;
        this.buffer = buffer;
        this.device = device;
        this.owned = owned;
    }

    /** A view of {@code array} (not copied). */
    public static Floats heap(float[] array) {
        if (array == null) {
            throw new IllegalArgumentException("array must not be null");
        }
        return new Floats(Memory.HEAP, array.length, array, null, null, false);
    }

    /** A view of a direct buffer from position 0 to its capacity (not copied). */
    public static Floats direct(FloatBuffer buffer) {
        if (buffer == null || !buffer.isDirect()) {
            throw new IllegalArgumentException("buffer must be a direct FloatBuffer, found " + (buffer == null ? "null" : "a heap buffer"));
        }
        if (buffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("buffer must be in native byte order " + ByteOrder.nativeOrder() + ", found " + buffer.order());
        }
        return new Floats(Memory.DIRECT, buffer.capacity(), null, buffer, null, false);
    }

    /** A new zeroed direct buffer of {@code length} floats, in native byte order. */
    public static Floats allocateDirect(long length) {
        if (length < 0 || length > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("direct buffer length must be in [0, " + Integer.MAX_VALUE / Float.BYTES + "], found " + length);
        }
        FloatBuffer b = ByteBuffer.allocateDirect((int) length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return new Floats(Memory.DIRECT, length, null, b, null, false);
    }

    /**
     * A view of device memory.
     *
     * @param owned whether {@link #close()} frees it
     */
    public static Floats device(DeviceMemory memory, boolean owned) {
        return new Floats(Memory.DEVICE, memory.floats(), null, null, memory, owned);
    }

    public Memory memory() {
        return memory;
    }

    public long length() {
        return length;
    }

    /** The heap array, or null when not on the heap. */
    public float[] array() {
        return array;
    }

    /** The direct buffer, or null when not direct. */
    public FloatBuffer buffer() {
        return buffer;
    }

    /** The device memory, or null when not on a device. */
    public DeviceMemory device() {
        return device;
    }

    /** Copies floats {@code [from, from + n)} into {@code dst[offset ..]}, from any memory. */
    public void read(long from, float[] dst, int offset, int n) {
        check(from, n);
        switch (memory) {
            case HEAP -> System.arraycopy(array, (int) from, dst, offset, n);
            case DIRECT -> buffer.get((int) from, dst, offset, n);
            case DEVICE -> device.download(from, dst, offset, n);
        }
    }

    /** Copies {@code src[offset .. offset + n)} into floats {@code [to, to + n)}, in any memory. */
    public void write(float[] src, int offset, long to, int n) {
        check(to, n);
        switch (memory) {
            case HEAP -> System.arraycopy(src, offset, array, (int) to, n);
            case DIRECT -> buffer.put((int) to, src, offset, n);
            case DEVICE -> device.upload(src, offset, to, n);
        }
    }

    /** The content as a heap array: the array itself when on the heap, else a copy. */
    public float[] toArray() {
        if (array != null) {
            return array;
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a batch of " + length + " floats does not fit a Java array");
        }
        float[] a = new float[(int) length];
        read(0, a, 0, a.length);
        return a;
    }

    /** Whether two views share storage (the same array, buffer or device block). */
    public boolean sameStorage(Floats o) {
        return (array != null && array == o.array) || (buffer != null && buffer == o.buffer)
                || (device != null && device == o.device);
    }

    private void check(long at, int n) {
        if (at < 0 || n < 0 || at + n > length) {
            throw new IllegalArgumentException("float range [" + at + ", " + (at + n) + ") must lie in [0, " + length + "]");
        }
    }

    /** Frees owned device memory; nothing for heap and direct buffers (the collector frees them). */
    @Override
    public void close() {
        if (owned && device != null) {
            device.close();
        }
    }
}
