package org.diffeo4j.field;

/**
 * One displacement field pair per sample, in pixels: {@code dx[s*h*w + y*w + x]} and the same for
 * {@code dy}. The remap reads {@code in(x - dx, y - dy)}.
 */
public record FieldBatch(int count, int height, int width, float[] dx, float[] dy) {
    public FieldBatch {
        if (count < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("field batch needs count >= 0 and height, width >= 1, found "
                    + count + "x" + height + "x" + width);
        }
        long want = (long) count * height * width;
        if (dx.length != want || dy.length != want) {
            throw new IllegalArgumentException("dx and dy must have count*height*width = " + want
                    + " entries, found " + dx.length + " and " + dy.length);
        }
    }

    /** A zero field pair (the identity), e.g. for Gaussian smoothing of clean images. */
    public static FieldBatch zeros(int count, int height, int width) {
        int len = count * height * width;
        return new FieldBatch(count, height, width, new float[len], new float[len]);
    }

    /** Pixels per sample. */
    public int plane() {
        return height * width;
    }
}
