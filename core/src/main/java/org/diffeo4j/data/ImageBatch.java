package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.nio.FloatBuffer;

/**
 * A batch of images, batch-first NCHW float32: pixel (s, c, y, x) is float
 * {@code ((s*channels + c)*height + y)*width + x} of its {@link Floats}, which live on the heap, in a
 * direct buffer or on a device ({@link #memory()}). {@link #data()} is the heap array and is only
 * for heap batches; {@link #toHeap()} copies any batch to the heap. A batch that owns device memory
 * frees it on {@link #close()}; closing a heap or direct batch does nothing.
 */
public final class ImageBatch implements AutoCloseable {
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final Floats floats;

    /** A heap batch over {@code data} (not copied). */
    public ImageBatch(int count, int channels, int height, int width, float[] data) {
        this(count, channels, height, width, data == null ? null : Floats.heap(data));
    }

    /** A batch over {@code floats} in any memory (not copied). */
    public ImageBatch(int count, int channels, int height, int width, Floats floats) {
        if (count < 0 || channels < 1 || height < 1 || width < 1) {
            throw new BadInputException("image batch shape must be count >= 0 and channels, height, width >= 1, found "
                    + shape(count, channels, height, width));
        }
        long want = (long) count * channels * height * width;
        if (floats == null || floats.length() != want) {
            throw new BadInputException("image data must have " + want + " floats for shape "
                    + shape(count, channels, height, width) + ", found " + (floats == null ? "null" : floats.length()));
        }
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.floats = floats;
    }

    /** A zero heap batch of the given shape. */
    public static ImageBatch zeros(int count, int channels, int height, int width) {
        return new ImageBatch(count, channels, height, width, new float[count * channels * height * width]);
    }

    /** A zero direct (off-heap, native byte order) batch of the given shape. */
    public static ImageBatch direct(int count, int channels, int height, int width) {
        return new ImageBatch(count, channels, height, width, Floats.allocateDirect((long) count * channels * height * width));
    }

    /** A batch over a direct buffer the caller owns (position 0 to capacity; not copied). */
    public static ImageBatch wrap(int count, int channels, int height, int width, FloatBuffer direct) {
        return new ImageBatch(count, channels, height, width, Floats.direct(direct));
    }

    public int count() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The floats, wherever they live. */
    public Floats floats() {
        return floats;
    }

    /** Where the floats live. */
    public Memory memory() {
        return floats.memory();
    }

    /**
     * The heap array (modifiable, not a copy).
     *
     * @throws IllegalStateException when the batch is not on the heap: use {@link #toHeap()}
     */
    public float[] data() {
        if (floats.memory() != Memory.HEAP) {
            throw new IllegalStateException("image batch " + shapeString() + " lives in " + floats.memory()
                    + " memory, not on the heap: copy it with toHeap()");
        }
        return floats.array();
    }

    /** This batch when on the heap, else a heap copy. */
    public ImageBatch toHeap() {
        return floats.memory() == Memory.HEAP ? this : new ImageBatch(count, channels, height, width, floats.toArray());
    }

    /** Copies every pixel into {@code dst} (same shape, any memory). */
    public void copyTo(ImageBatch dst) {
        requireSameShape(dst, "dst");
        int n = (int) floats.length();
        if (floats.memory() == Memory.HEAP) {
            dst.floats.write(floats.array(), 0, 0, n);
        } else if (dst.memory() == Memory.HEAP) {
            floats.read(0, dst.floats.array(), 0, n); // one copy, straight into the destination
        } else {
            dst.floats.write(floats.toArray(), 0, 0, n);
        }
    }

    /** A zero heap batch shaped like this one. */
    public ImageBatch like() {
        return zeros(count, channels, height, width);
    }

    /** Whether {@code other} has this batch's shape. */
    public boolean sameShape(ImageBatch other) {
        return count == other.count && channels == other.channels && height == other.height && width == other.width;
    }

    /** Throws, naming {@code what} and both shapes, unless {@code other} has this batch's shape. */
    public void requireSameShape(ImageBatch other, String what) {
        if (!sameShape(other)) {
            throw new BadInputException(what + " must have shape " + shapeString() + ", found " + other.shapeString());
        }
    }

    /** Floats per sample. */
    public int sampleSize() {
        return channels * height * width;
    }

    /** Samples {@code [from, from + n)} as a new heap batch (copied, from any memory). */
    public ImageBatch slice(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") must lie in [0, " + count + "]");
        }
        float[] d = new float[n * sampleSize()];
        floats.read((long) from * sampleSize(), d, 0, d.length);
        return new ImageBatch(n, channels, height, width, d);
    }

    /** "[N, C, H, W]". */
    public String shapeString() {
        return shape(count, channels, height, width);
    }

    /** Throws when a pixel is NaN or infinite, naming {@code source} and the first bad index. */
    public ImageBatch requireFinite(String source) {
        float[] data = floats.toArray();
        for (int k = 0; k < data.length; k++) {
            if (!Float.isFinite(data[k])) {
                int s = k / sampleSize();
                throw new BadInputException(source + ": pixels must be finite numbers, found " + data[k]
                        + " in image " + s + " (flat index " + k + ")");
            }
        }
        return this;
    }

    /** Frees owned device memory. */
    @Override
    public void close() {
        floats.close();
    }

    @Override
    public String toString() {
        return "ImageBatch" + shapeString() + " in " + memory();
    }

    static String shape(int n, int c, int h, int w) {
        return "[" + n + ", " + c + ", " + h + ", " + w + "]";
    }
}
