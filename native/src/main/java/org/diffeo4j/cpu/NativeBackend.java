package org.diffeo4j.cpu;

import org.diffeo4j.backend.BatchChecks;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.backend.HeapStaging;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.diffeo4j.validate.Checks.requireCut;
import static org.diffeo4j.validate.Checks.requireTemperature;

/**
 * The native CPU backend: the kernels of {@code diffeo_math.cuh} (shared with CUDA) run by C++
 * threads over samples, with AVX2/FMA code where the CPU has it. Same results as
 * {@link org.diffeo4j.backend.JavaBackend} within {@code Tolerances.TWIN_ATOL}, identical bits for
 * any thread count and batch split.
 *
 * <p>Memory: heap {@code float[]} (pinned, not copied) and direct buffers (by address) are read in
 * place; when the batches of one call mix the two, or one lives on a device, the call is staged
 * through the heap. {@link #determinant} is the one operation beyond {@link DiffeoBackend}.
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
    public Set<Memory> memories() {
        return Set.of(Memory.HEAP, Memory.DIRECT);
    }

    /** Heap: arrays are pinned, not copied, so the heap costs nothing here and needs no closing. */
    @Override
    public ImageBatch allocateImages(int count, int channels, int height, int width) {
        return ImageBatch.zeros(count, channels, height, width);
    }

    @Override
    public FieldBatch allocateFields(int count, int height, int width) {
        return FieldBatch.zeros(count, height, width);
    }

    @Override
    public CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
        BatchChecks.count(count);
        int cc = requireCut(cut) * cut;
        float[] zu = new float[count * cc], zv = new float[count * cc];
        check(DiffeoNative.diffeo_draw(zu, zv, count, cut, seed, firstSample, simd), "draw");
        return new CoefficientBatch(cut, count, zu, zv);
    }

    /**
     * Direct fields are written in place; heap fields too (pinned); device fields are computed on
     * the heap and copied out.
     */
    @Override
    public void synthesizeInto(CoefficientBatch coeffs, double temperature, FieldBatch out) {
        requireTemperature(temperature);
        BatchChecks.fields(coeffs, out);
        int height = out.height(), width = out.width();
        if (out.memory() == Memory.DIRECT) {
            check(DiffeoNative.diffeo_synthesize(direct(coeffs.zu()), direct(coeffs.zv()), out.dxFloats().buffer(),
                    out.dyFloats().buffer(), 0, coeffs.count(), coeffs.cut(), temperature, height, width, threads, simd,
                    pool()), "synthesize");
            return;
        }
        HeapStaging.Output dx = HeapStaging.out(out.dxFloats()), dy = HeapStaging.out(out.dyFloats());
        int step = sliceSamples(2L * height * width);
        for (int from = 0; from < coeffs.count(); from += step) {
            int n = Math.min(step, coeffs.count() - from);
            check(DiffeoNative.diffeo_synthesize(coeffs.zu(), coeffs.zv(), dx.array(), dy.array(), from, n, coeffs.cut(),
                    temperature, height, width, threads, simd, pool()), "synthesize");
        }
        dx.commit();
        dy.commit();
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

    /** In place when images, fields and out are all heap or all direct; otherwise staged through the heap. */
    @Override
    public void remapInto(ImageBatch images, FieldBatch fields, Interpolation interp, ImageBatch out) {
        BatchChecks.fields(images, fields);
        BatchChecks.output(images, out);
        if (allDirect(images, out) && fields.memory() == Memory.DIRECT) {
            check(DiffeoNative.diffeo_remap(images.floats().buffer(), fields.dxFloats().buffer(), fields.dyFloats().buffer(),
                    out.floats().buffer(), 0, images.count(), images.channels(), images.height(), images.width(),
                    interp.ordinal(), threads, simd, pool()), "remap");
            return;
        }
        float[] in = HeapStaging.in(images), dx = HeapStaging.in(fields.dxFloats()), dy = HeapStaging.in(fields.dyFloats());
        HeapStaging.Output o = HeapStaging.out(out);
        int step = sliceSamples(2L * images.sampleSize());
        for (int from = 0; from < images.count(); from += step) {
            int n = Math.min(step, images.count() - from);
            check(DiffeoNative.diffeo_remap(in, dx, dy, o.array(), from, n, images.channels(), images.height(),
                    images.width(), interp.ordinal(), threads, simd, pool()), "remap");
        }
        o.commit();
    }

    /** In place when images and out are both heap or both direct; otherwise staged through the heap. */
    @Override
    public void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
        BatchChecks.output(images, out);
        if (allDirect(images, out)) {
            check(DiffeoNative.diffeo_deform(images.floats().buffer(), out.floats().buffer(), 0, images.count(),
                    images.channels(), images.height(), images.width(), spec.cut(), spec.temperature(),
                    spec.interpolation().ordinal(), seed, firstSample, threads, simd, pool()), "deform");
            return;
        }
        float[] in = HeapStaging.in(images);
        HeapStaging.Output o = HeapStaging.out(out);
        int step = sliceSamples(2L * images.sampleSize());
        for (int from = 0; from < images.count(); from += step) {
            int n = Math.min(step, images.count() - from);
            // Sample from + k of the batch draws at firstSample + from + k, whatever the slicing.
            check(DiffeoNative.diffeo_deform(in, o.array(), from, n, images.channels(), images.height(),
                    images.width(), spec.cut(), spec.temperature(), spec.interpolation().ordinal(), seed,
                    firstSample + from, threads, simd, pool()), "deform");
        }
        o.commit();
    }

    /** In place when the three batches are all heap or all direct; otherwise staged through the heap. */
    @Override
    public void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out) {
        BatchChecks.sameShape(clean, deformed, "deformed");
        BatchChecks.sameShape(clean, out, "out");
        int size = clean.sampleSize();
        if (allDirect(clean, deformed) && out.memory() == Memory.DIRECT) {
            check(DiffeoNative.diffeo_noise(clean.floats().buffer(), deformed.floats().buffer(), out.floats().buffer(), 0,
                    clean.count(), size, seed, firstSample, threads, simd, pool()), "noise");
            return;
        }
        float[] x = HeapStaging.in(clean), y = HeapStaging.in(deformed);
        HeapStaging.Output o = HeapStaging.out(out);
        int step = sliceSamples(3L * size);
        for (int from = 0; from < clean.count(); from += step) {
            int n = Math.min(step, clean.count() - from);
            check(DiffeoNative.diffeo_noise(x, y, o.array(), from, n, size, seed, firstSample + from, threads, simd, pool()),
                    "noise");
        }
        o.commit();
    }

    /** In place when both are heap or both direct; otherwise staged through the heap. */
    @Override
    public void squaredDistances(ImageBatch a, ImageBatch b, double[] out) {
        BatchChecks.sameShape(a, b, "b");
        BatchChecks.perSample(a, out);
        int size = a.sampleSize();
        if (allDirect(a, b)) {
            DoubleBuffer d = ByteBuffer.allocateDirect(8 * out.length).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            check(DiffeoNative.diffeo_distances(a.floats().buffer(), b.floats().buffer(), d, 0, a.count(), size, threads, simd,
                    pool()), "distances");
            d.get(0, out);
            return;
        }
        float[] x = HeapStaging.in(a), y = HeapStaging.in(b);
        int step = sliceSamples(2L * size);
        for (int from = 0; from < a.count(); from += step) {
            int n = Math.min(step, a.count() - from);
            check(DiffeoNative.diffeo_distances(x, y, out, from, n, size, threads, simd, pool()), "distances");
        }
    }

    private static boolean allDirect(ImageBatch a, ImageBatch b) {
        return a.memory() == Memory.DIRECT && b.memory() == Memory.DIRECT;
    }

    /** A small heap array as a direct buffer (coefficients, for the all-direct synthesis). */
    private static FloatBuffer direct(float[] a) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(0, a);
        return b;
    }

    /** Samples per call so that one call touches at most {@code sliceFloats} floats of heap arrays. */
    private int sliceSamples(long floatsPerSample) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sliceFloats / Math.max(1, floatsPerSample)));
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
