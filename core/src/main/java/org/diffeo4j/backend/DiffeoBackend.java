package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

import java.util.Set;

/**
 * One way of running the hot paths: the draw, synthesis, remap and fused deformation of the
 * ensemble, and the protocol step of G_f (noise of a given per-sample norm, per-sample distances).
 * Every implementation gives the same result as the Java reference within {@code Tolerances}, for
 * any thread count and batch split: sample {@code s} of a call with {@code firstSample = f} draws
 * its fields and noise at stream address {@code f + s}.
 *
 * <p><b>Memory.</b> Batches say where they live ({@link ImageBatch#memory()}). Every operation accepts
 * batches in any memory; a backend computes in place in the kinds of {@link #memories()} and copies
 * the others in (and results back) around the call, so a caller that wants no copies allocates
 * with {@link #allocateImages}/{@link #allocateFields}. Outputs are written into batches the caller
 * owns ({@code ...Into}); the convenience forms return heap batches.
 */
public interface DiffeoBackend extends AutoCloseable {
    /** Short name: {@code java}, {@code native} or {@code cuda}. */
    String name();

    /** What it runs on, in words (CPU model and threads, GPU name), for reports. */
    String device();

    /** The memory kinds it computes in without copying. */
    Set<Memory> memories();

    /**
     * A zero image batch in the memory this backend computes in best (device memory for a GPU);
     * the caller closes it.
     */
    ImageBatch allocateImages(int count, int channels, int height, int width);

    /** A zero field batch in the memory this backend computes in best; the caller closes it. */
    FieldBatch allocateFields(int count, int height, int width);

    /** The coefficients of samples {@code firstSample .. firstSample + count - 1} (as {@link CoefficientBatch#draw}). */
    CoefficientBatch draw(int cut, long seed, long firstSample, int count);

    /**
     * Synthesises the (dx, dy) pair of every sample of {@code coeffs} into {@code out}
     * ({@code coeffs.count()} samples, any height and width).
     */
    void synthesizeInto(CoefficientBatch coeffs, double temperature, FieldBatch out);

    /**
     * Remaps every sample of {@code images} (not modified) through its own field pair into
     * {@code out} (same shape, not {@code images}).
     */
    void remapInto(ImageBatch images, FieldBatch fields, Interpolation interp, ImageBatch out);

    /**
     * Deforms every sample with its own diffeo drawn at (seed, firstSample + s): coefficient draw,
     * synthesis and remap, fused, into {@code out} (same shape, not {@code images}), so a loop over
     * batches allocates nothing.
     *
     * @param images not modified
     */
    void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out);

    /**
     * The isotropic noise of G_f: {@code out_s = clean_s + g_s / ||g_s|| * ||deformed_s - clean_s||} with
     * g_s ~ N(0, I) drawn at (seed, firstSample + s, STREAM_NOISE, k): each image gets a noise of exactly
     * its own displacement's norm (norms over all C x H x W values, accumulated in double).
     *
     * @param clean not modified
     * @param deformed same shape, not modified
     * @param out same shape; may be {@code deformed} (each value is read before it is written)
     */
    void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out);

    /** {@code out[s] = ||a_s - b_s||^2}, summed in double, for every sample of {@code a} and {@code b} (same shape). */
    void squaredDistances(ImageBatch a, ImageBatch b, double[] out);

    /** {@link #synthesizeInto} into a new heap batch. */
    default FieldBatch synthesize(CoefficientBatch coeffs, double temperature, int height, int width) {
        FieldBatch f = FieldBatch.zeros(coeffs.count(), height, width);
        synthesizeInto(coeffs, temperature, f);
        return f;
    }

    /** {@link #remapInto} into a new heap batch. */
    default ImageBatch remap(ImageBatch images, FieldBatch fields, Interpolation interp) {
        ImageBatch out = images.like();
        remapInto(images, fields, interp, out);
        return out;
    }

    /** {@link #deformInto} into a new heap batch. */
    default ImageBatch deform(ImageBatch images, DiffeoSpec spec, long seed, long firstSample) {
        ImageBatch out = images.like();
        deformInto(images, spec, seed, firstSample, out);
        return out;
    }

    /** {@link #addNoiseInto} into a new heap batch. */
    default ImageBatch addNoise(ImageBatch clean, ImageBatch deformed, long seed, long firstSample) {
        ImageBatch out = clean.like();
        addNoiseInto(clean, deformed, seed, firstSample, out);
        return out;
    }

    /** {@link #squaredDistances(ImageBatch, ImageBatch, double[])} into a new array. */
    default double[] squaredDistances(ImageBatch a, ImageBatch b) {
        double[] d = new double[a.count()];
        squaredDistances(a, b, d);
        return d;
    }

    /**
     * Waits until the work issued so far has finished: a GPU backend returns from its calls on
     * device batches before its kernels end (benchmarks time with it); the CPU backends finish
     * every call before returning, so for them it does nothing.
     */
    default void synchronize() {
    }

    /** Releases threads, contexts and device memory. */
    @Override
    default void close() {
    }
}
