package org.diffeo4j.cpu;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;

import static org.diffeo4j.validate.Checks.requireTemperature;

/**
 * The native CPU backend: the kernels of {@code diffeo_math.cuh} (shared with CUDA) run by C++
 * threads over samples, with AVX2/FMA code where the CPU has it. Same results as
 * {@link org.diffeo4j.backend.JavaBackend} within {@code Tolerances.TWIN_ATOL}, identical bits for
 * any thread count and batch split.
 *
 * <p>Besides the {@link DiffeoBackend} methods (heap {@code float[]}, pinned, not copied), it offers
 * zero-copy entry points on direct {@link FloatBuffer}s for callers that keep images off-heap.
 */
public final class NativeBackend implements DiffeoBackend {
    public static final String NAME = "native";
    /**
     * Heap batches are cut into calls that touch at most this many floats (64 MB): a call pins its
     * arrays in a JNI critical region, which holds off the garbage collector, so it should not last
     * long. Slicing passes an offset, it copies nothing.
     */
    static final long SLICE_FLOATS = 1L << 24;

    private static final Cleaner CLEANER = Cleaner.create();

    private final int threads;
    private final int simd;
    private final long sliceFloats;
    /** The C++ worker pool (0 with one thread); stopped by {@link #close}, or by the cleaner if forgotten. */
    private final AtomicLong pool;
    private final Cleaner.Cleanable cleanable;

    /** @param threads C++ worker threads per call, >= 1 */
    public NativeBackend(int threads) {
        this(threads, -1);
    }

    /**
     * @param threads C++ worker threads per call, >= 1
     * @param simd -1 for the best kernels the CPU runs, 0 to force the generic ones (for tests)
     */
    public NativeBackend(int threads, int simd) {
        this(threads, simd, SLICE_FLOATS);
    }

    /** As {@link #NativeBackend(int, int)} with another slice size (tests). */
    NativeBackend(int threads, int simd, long sliceFloats) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        DiffeoNative.load();
        this.threads = threads;
        this.sliceFloats = sliceFloats;
        this.simd = simd < 0 ? DiffeoNative.diffeo_simd_level() : Math.min(simd, DiffeoNative.diffeo_simd_level());
        long handle = threads > 1 ? DiffeoNative.diffeo_pool_create(threads) : 0;
        if (threads > 1 && handle == 0) {
            throw new IllegalStateException("native backend could not start " + (threads - 1) + " worker thread(s)");
        }
        AtomicLong h = new AtomicLong(handle);
        this.pool = h;
        this.cleanable = CLEANER.register(this, () -> {
            long p = h.getAndSet(0);
            if (p != 0) {
                DiffeoNative.diffeo_pool_destroy(p);
            }
        });
    }

    /** Stops the worker threads; the backend cannot be used afterwards. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The pool handle for a call; fails once closed. */
    private long pool() {
        long p = pool.get();
        if (p == 0 && threads > 1) {
            throw new IllegalStateException("native backend is closed");
        }
        return p;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String device() {
        return "C++ " + (simd == 2 ? "AVX2" : "generic x86-64") + ", " + threads + " thread(s), "
                + Runtime.getRuntime().availableProcessors() + " core(s) seen";
    }

    /** SIMD level in use: 2 AVX2/FMA, 0 generic. */
    public int simdLevel() {
        return simd;
    }

    @Override
    public FieldBatch synthesize(CoefficientBatch coeffs, double temperature, int height, int width) {
        requireTemperature(temperature);
        FieldBatch f = FieldBatch.zeros(coeffs.count(), height, width);
        int step = sliceSamples(2L * height * width);
        for (int from = 0; from < coeffs.count(); from += step) {
            int n = Math.min(step, coeffs.count() - from);
            check(DiffeoNative.diffeo_synthesize(coeffs.zu(), coeffs.zv(), f.dx(), f.dy(), from, n, coeffs.cut(),
                    temperature, height, width, threads, simd, pool()), "synthesize");
        }
        return f;
    }

    /**
     * det(I - grad tau) at every pixel of every sample, {@code [count][height][width]} row-major,
     * as {@link org.diffeo4j.field.Jacobian#determinant} computes it for one sample (Appendix B:
     * the deformation folds where it is <= 0).
     *
     * @param coeffs not modified
     */
    public float[] determinant(CoefficientBatch coeffs, double temperature, int height, int width) {
        requireTemperature(temperature);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be >= 1, found " + height + "x" + width);
        }
        float[] det = new float[coeffs.count() * height * width];
        int step = sliceSamples(5L * height * width);
        for (int from = 0; from < coeffs.count(); from += step) {
            int n = Math.min(step, coeffs.count() - from);
            check(DiffeoNative.diffeo_jacobian(coeffs.zu(), coeffs.zv(), det, from, n, coeffs.cut(), temperature, height,
                    width, threads, simd, pool()), "jacobian");
        }
        return det;
    }

    @Override
    public ImageBatch remap(ImageBatch images, FieldBatch fields, Interpolation interp) {
        DiffeoBackend.requireMatching(images, fields);
        ImageBatch out = images.like();
        int step = sliceSamples(2L * images.sampleSize());
        for (int from = 0; from < images.count(); from += step) {
            int n = Math.min(step, images.count() - from);
            check(DiffeoNative.diffeo_remap(images.data(), fields.dx(), fields.dy(), out.data(), from, n,
                    images.channels(), images.height(), images.width(), interp.ordinal(), threads, simd, pool()), "remap");
        }
        return out;
    }

    @Override
    public void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
        DiffeoBackend.requireOutput(images, out);
        int step = sliceSamples(2L * images.sampleSize());
        for (int from = 0; from < images.count(); from += step) {
            int n = Math.min(step, images.count() - from);
            // Sample from + k of the batch draws at firstSample + from + k, whatever the slicing.
            check(DiffeoNative.diffeo_deform(images.data(), out.data(), from, n, images.channels(), images.height(),
                    images.width(), spec.cut(), spec.temperature(), spec.interpolation().ordinal(), seed,
                    firstSample + from, threads, simd, pool()), "deform");
        }
    }

    /**
     * Zero-copy fused deform of {@code count} NCHW images held in direct buffers, read and written
     * from each buffer's position (positions are not moved). Sample k draws at (seed, firstSample + k).
     *
     * @param in count*channels*height*width floats; not modified
     * @param out as many floats; overwritten; must not overlap {@code in}
     */
    public void deform(FloatBuffer in, FloatBuffer out, int count, int channels, int height, int width,
                       DiffeoSpec spec, long seed, long firstSample) {
        long n = (long) count * channels * height * width;
        requireDirect("in", in, n);
        requireDirect("out", out, n);
        check(DiffeoNative.diffeo_deform(in, out, 0, count, channels, height, width, spec.cut(), spec.temperature(),
                spec.interpolation().ordinal(), seed, firstSample, threads, simd, pool()), "deform");
    }

    /**
     * Zero-copy remap of {@code count} NCHW images through fields {@code [count][height][width]}.
     *
     * @param in, dx, dy not modified; {@code out} overwritten, must not overlap {@code in}
     */
    public void remap(FloatBuffer in, FloatBuffer dx, FloatBuffer dy, FloatBuffer out, int count, int channels,
                      int height, int width, Interpolation interp) {
        long n = (long) count * channels * height * width, plane = (long) count * height * width;
        requireDirect("in", in, n);
        requireDirect("dx", dx, plane);
        requireDirect("dy", dy, plane);
        requireDirect("out", out, n);
        check(DiffeoNative.diffeo_remap(in, dx, dy, out, 0, count, channels, height, width, interp.ordinal(), threads, simd,
                pool()), "remap");
    }

    /**
     * Zero-copy synthesis of {@code count} field pairs from coefficients {@code [count][cut][cut]}.
     *
     * @param zu, zv not modified; {@code dx}, {@code dy} ({@code [count][height][width]}) overwritten
     */
    public void synthesize(FloatBuffer zu, FloatBuffer zv, FloatBuffer dx, FloatBuffer dy, int count, int cut,
                           double temperature, int height, int width) {
        requireTemperature(temperature);
        long per = (long) count * cut * cut, plane = (long) count * height * width;
        requireDirect("zu", zu, per);
        requireDirect("zv", zv, per);
        requireDirect("dx", dx, plane);
        requireDirect("dy", dy, plane);
        check(DiffeoNative.diffeo_synthesize(zu, zv, dx, dy, 0, count, cut, temperature, height, width, threads, simd,
                pool()), "synthesize");
    }

    /** Samples per call so that one call touches at most {@code sliceFloats} floats of heap arrays. */
    private int sliceSamples(long floatsPerSample) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sliceFloats / Math.max(1, floatsPerSample)));
    }

    private static void requireDirect(String what, FloatBuffer b, long need) {
        if (b == null || !b.isDirect()) {
            throw new IllegalArgumentException(what + " must be a direct FloatBuffer, found "
                    + (b == null ? "null" : "a heap buffer (use the ImageBatch methods for heap arrays)"));
        }
        if (b.remaining() < need) {
            throw new IllegalArgumentException(what + " must have " + need + " floats remaining, found " + b.remaining());
        }
    }

    private static void check(int rc, String what) {
        switch (rc) {
            case 0 -> { }
            case -1 -> throw new IllegalArgumentException("native " + what + " refused its arguments (code -1)");
            case -2 -> throw new OutOfMemoryError("native " + what + " ran out of memory (code -2)");
            default -> throw new IllegalStateException("native " + what + " failed (code " + rc + ")");
        }
    }
}
