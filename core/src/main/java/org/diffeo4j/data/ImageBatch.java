package org.diffeo4j.data;

/**
 * A batch of images, batch-first NCHW float32 on the heap: pixel (s, c, y, x) is
 * {@code data[((s*channels + c)*height + y)*width + x]}.
 */
public record ImageBatch(int count, int channels, int height, int width, float[] data) {
    public ImageBatch {
        if (count < 0 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image batch shape must be count >= 0 and channels, height, width >= 1, found "
                    + shape(count, channels, height, width));
        }
        long want = (long) count * channels * height * width;
        if (data == null || data.length != want) {
            throw new IllegalArgumentException("image data must have " + want + " floats for shape "
                    + shape(count, channels, height, width) + ", found " + (data == null ? "null" : data.length));
        }
    }

    /** A zero batch of the given shape. */
    public static ImageBatch zeros(int count, int channels, int height, int width) {
        return new ImageBatch(count, channels, height, width, new float[count * channels * height * width]);
    }

    /** A zero batch shaped like this one. */
    public ImageBatch like() {
        return zeros(count, channels, height, width);
    }

    /** Floats per sample. */
    public int sampleSize() {
        return channels * height * width;
    }

    /** Samples {@code [from, from + n)} as a new batch (copied). */
    public ImageBatch slice(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") must lie in [0, " + count + "]");
        }
        float[] d = new float[n * sampleSize()];
        System.arraycopy(data, from * sampleSize(), d, 0, d.length);
        return new ImageBatch(n, channels, height, width, d);
    }

    /** "[N, C, H, W]". */
    public String shapeString() {
        return shape(count, channels, height, width);
    }

    /** Throws when a pixel is NaN or infinite, naming {@code source} and the first bad index. */
    public ImageBatch requireFinite(String source) {
        for (int k = 0; k < data.length; k++) {
            if (!Float.isFinite(data[k])) {
                int s = k / sampleSize();
                throw new IllegalArgumentException(source + ": pixels must be finite numbers, found " + data[k]
                        + " in image " + s + " (flat index " + k + ")");
            }
        }
        return this;
    }

    static String shape(int n, int c, int h, int w) {
        return "[" + n + ", " + c + ", " + h + ", " + w + "]";
    }
}
