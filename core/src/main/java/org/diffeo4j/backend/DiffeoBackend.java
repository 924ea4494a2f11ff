package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

/**
 * One way of running the hot paths. Every implementation gives the same result as the Java
 * reference within {@code Tolerances}, for any thread count and batch split: sample {@code s} of a
 * call with {@code firstSample = f} draws its fields at stream address {@code f + s}.
 */
public interface DiffeoBackend extends AutoCloseable {
    /** Short name: {@code java}, {@code native} or {@code cuda}. */
    String name();

    /** What it runs on, in words (CPU model and threads, GPU name), for reports. */
    String device();

    /** Synthesises the (dx, dy) pair of every sample of {@code coeffs} on a height x width grid. */
    FieldBatch synthesize(CoefficientBatch coeffs, double temperature, int height, int width);

    /** Remaps every sample of {@code images} (not modified) through its own field pair. */
    ImageBatch remap(ImageBatch images, FieldBatch fields, Interpolation interp);

    /**
     * Deforms every sample with its own diffeo drawn at (seed, firstSample + s): coefficient draw,
     * synthesis and remap, fused. {@code images} is not modified.
     */
    default ImageBatch deform(ImageBatch images, DiffeoSpec spec, long seed, long firstSample) {
        ImageBatch out = images.like();
        deformInto(images, spec, seed, firstSample, out);
        return out;
    }

    /**
     * {@link #deform} into a batch the caller owns, so a loop over batches allocates nothing
     * (augmentation pipelines, benchmarks).
     *
     * @param images not modified
     * @param out same shape as {@code images}; overwritten; must not be {@code images}
     */
    void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out);

    /** Releases threads, contexts and device memory. */
    @Override
    default void close() {
    }

    /** Checks that {@code out} can receive the deformed {@code images}; shared by every backend. */
    static void requireOutput(ImageBatch images, ImageBatch out) {
        org.diffeo4j.validate.Checks.requireSameShape("out", "images", new String[]{"count", "channels", "height", "width"},
                new int[]{images.count(), images.channels(), images.height(), images.width()},
                new int[]{out.count(), out.channels(), out.height(), out.width()});
        if (out.data() == images.data()) {
            throw new IllegalArgumentException("out must not be images: the remap reads neighbours it would overwrite");
        }
    }

    /** Checks that {@code fields} fit {@code images}; shared by every backend. */
    static void requireMatching(ImageBatch images, FieldBatch fields) {
        if (images.count() != fields.count() || images.height() != fields.height() || images.width() != fields.width()) {
            throw new IllegalArgumentException("fields must match images: images are " + images.shapeString()
                    + ", fields are [" + fields.count() + ", " + fields.height() + ", " + fields.width() + "]");
        }
    }
}
