package org.diffeo4j.field;

import org.diffeo4j.data.Floats;
import org.diffeo4j.data.Memory;

/**
 * One displacement field pair per sample, in pixels: {@code dx[s*h*w + y*w + x]} and the same for
 * {@code dy}. The remap reads {@code in(x - dx, y - dy)}. Like an image batch, the floats live on the
 * heap, in direct buffers or on a device (both components in the same kind of memory);
 * {@link #dx()} and {@link #dy()} are the heap arrays, {@link #toHeap()} copies any batch there.
 */
public final class FieldBatch implements AutoCloseable {
    private final int count;
    private final int height;
    private final int width;
    private final Floats dx;
    private final Floats dy;

    /** A heap batch over {@code dx} and {@code dy} (not copied). */
    public FieldBatch(int count, int height, int width, float[] dx, float[] dy) {
        this(count, height, width, dx == null ? null : Floats.heap(dx), dy == null ? null : Floats.heap(dy));
    }

    /** A batch over two float blocks in the same kind of memory (not copied). */
    public FieldBatch(int count, int height, int width, Floats dx, Floats dy) {
        if (count < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("field batch needs count >= 0 and height, width >= 1, found "
                    + count + "x" + height + "x" + width);
        }
        long want = (long) count * height * width;
        if (dx == null || dy == null || dx.length() != want || dy.length() != want) {
            throw new IllegalArgumentException("dx and dy must have count*height*width = " + want
                    + " entries, found " + (dx == null ? "null" : dx.length()) + " and " + (dy == null ? "null" : dy.length()));
        }
        if (dx.memory() != dy.memory()) {
            throw new IllegalArgumentException("dx and dy must live in the same memory, found " + dx.memory() + " and " + dy.memory());
        }
        this.count = count;
        this.height = height;
        this.width = width;
        this.dx = dx;
        this.dy = dy;
    }

    /** A zero heap field pair (the identity), e.g. for Gaussian smoothing of clean images. */
    public static FieldBatch zeros(int count, int height, int width) {
        int len = count * height * width;
        return new FieldBatch(count, height, width, new float[len], new float[len]);
    }

    /** A zero direct (off-heap) field pair. */
    public static FieldBatch direct(int count, int height, int width) {
        long len = (long) count * height * width;
        return new FieldBatch(count, height, width, Floats.allocateDirect(len), Floats.allocateDirect(len));
    }

    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Where the floats live. */
    public Memory memory() {
        return dx.memory();
    }

    /** The dx floats, wherever they live. */
    public Floats dxFloats() {
        return dx;
    }

    /** The dy floats, wherever they live. */
    public Floats dyFloats() {
        return dy;
    }

    /** The heap array of dx (modifiable); only for heap batches. */
    public float[] dx() {
        return heap(dx);
    }

    /** The heap array of dy (modifiable); only for heap batches. */
    public float[] dy() {
        return heap(dy);
    }

    /** This batch when on the heap, else a heap copy. */
    public FieldBatch toHeap() {
        return memory() == Memory.HEAP ? this : new FieldBatch(count, height, width, dx.toArray(), dy.toArray());
    }

    /** Pixels per sample. */
    public int plane() {
        return height * width;
    }

    /** Frees owned device memory. */
    @Override
    public void close() {
        dx.close();
        dy.close();
    }

    @Override
    public String toString() {
        return "FieldBatch[" + count + ", " + height + ", " + width + "] in " + memory();
    }

    private float[] heap(Floats f) {
        if (f.memory() != Memory.HEAP) {
            throw new IllegalStateException("field batch [" + count + ", " + height + ", " + width + "] lives in " + f.memory()
                    + " memory, not on the heap: copy it with toHeap()");
        }
        return f.array();
    }
}
