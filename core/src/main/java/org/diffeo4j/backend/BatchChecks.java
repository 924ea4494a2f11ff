package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;

/**
 * The shape checks of every backend operation, written once: each names the argument, the shape
 * it must have and the shape found.
 */
public final class BatchChecks {
    private BatchChecks() {
    }

    /** {@code out} receives a per-pixel result of {@code images}: same shape, not the same storage. */
    public static void output(ImageBatch images, ImageBatch out) {
        images.requireSameShape(out, "out");
        if (out.floats().sameStorage(images.floats())) {
            throw new IllegalArgumentException("out must not be the input images: the remap reads neighbours it would overwrite");
        }
    }

    /** {@code b} has the shape of {@code a} (named {@code what} in the message). */
    public static void sameShape(ImageBatch a, ImageBatch b, String what) {
        a.requireSameShape(b, what);
    }

    /** {@code fields} fit {@code images}: one pair per sample, same height and width. */
    public static void fields(ImageBatch images, FieldBatch fields) {
        if (images.count() != fields.count() || images.height() != fields.height() || images.width() != fields.width()) {
            throw new IllegalArgumentException("fields must have shape [" + images.count() + ", " + images.height() + ", "
                    + images.width() + "] to match images " + images.shapeString() + ", found [" + fields.count() + ", "
                    + fields.height() + ", " + fields.width() + "]");
        }
    }

    /** {@code out} holds one field pair per sample of {@code coeffs}. */
    public static void fields(CoefficientBatch coeffs, FieldBatch out) {
        if (out.count() != coeffs.count()) {
            throw new IllegalArgumentException("out must hold " + coeffs.count() + " field pairs (one per coefficient sample), found "
                    + out.count());
        }
    }

    /** {@code out} has one entry per sample. */
    public static void perSample(ImageBatch a, double[] out) {
        if (out.length != a.count()) {
            throw new IllegalArgumentException("out must have one entry per sample (" + a.count() + "), found " + out.length);
        }
    }

    /** A sample count of a draw. */
    public static void count(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, found " + count);
        }
    }
}
