package org.diffeo4j.cpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Platform;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The raw JNI surface of {@code native/src/main/cpp/diffeo_native.h}, generated and compiled by
 * JavaCPP at build time ({@code javacpp:build} in process-classes) into
 * {@code org/diffeo4j/cpu/linux-x86_64/libjnidiffeo4j.so} inside the jar.
 *
 * <p>Nothing here checks shapes: {@link NativeBackend} does, before every call. Each method returns
 * 0 or a negative code (-1 bad argument, -2 out of memory, -3 thread failure). {@code interp} is
 * {@code Interpolation.ordinal()}; {@code pool} is a handle from {@link #diffeo_pool_create} (0: threads
 * started per call); {@code skip} is the number of samples at the start of every
 * array (or buffer) to leave alone; {@code simd} is -1 for the best the CPU has, 0 for the generic
 * kernels (tests run both).
 *
 * <p>Zero copy: {@link FloatBuffer} arguments must be direct and are passed by address (from their
 * position); {@code float[]} arguments are pinned with {@code GetPrimitiveArrayCritical}
 * ({@link CriticalRegion}), which on HotSpot also avoids a copy. The critical region holds off the
 * garbage collector for the duration of the call, which is why {@link NativeBackend} cuts very large
 * heap batches into slices.
 */
@Platform(value = "linux-x86_64", include = "diffeo_native.h", compiler = "cpp17", library = "jnidiffeo4j")
public final class DiffeoNative {
    static {
        Loader.load();
    }

    private DiffeoNative() {
    }

    /** Forces loading; throws {@link UnsatisfiedLinkError} (or another error) when the library cannot load. */
    public static void load() {
        // the static initialiser did the work
    }

    /** 2 when the AVX2/FMA kernels run on this CPU, 0 for the generic ones. */
    public static native int diffeo_simd_level();

    /** The standard normal at (seed, sample, stream, element), from diffeo_math.cuh (Normals.at). */
    public static native double diffeo_normal_at(@Cast("long long") long seed, @Cast("long long") long sample,
                                                 int stream, int element);

    /** DIFFEO_FLOAT_LIMIT_PIXELS of the shared header (FieldSynthesis.FLOAT_LIMIT_PIXELS), for tests. */
    public static native double diffeo_float_limit_pixels();

    /** The header's field_rms of one c x c grid at {@code scale} (FieldSynthesis.rmsSize), for tests; NaN for cut < 1. */
    public static native double diffeo_field_rms(@Const float[] z, int cut, double scale);

    /** 1 when the header's large_field sends the grid to the double path (FieldSynthesis.isLarge), 0 if not, -1 for cut < 1. */
    public static native int diffeo_large_field(@Const float[] z, int cut, double scale);

    /** Starts {@code threads - 1} worker threads; returns the pool handle for the {@code pool} arguments, 0 on failure. */
    public static native @Cast("long long") long diffeo_pool_create(int threads);

    /** Stops the workers of a pool and frees it; no call may be using it. */
    public static native void diffeo_pool_destroy(@Cast("long long") long pool);

    /** Coefficients zu, zv [count][c][c] of samples first .. first+count-1 (CoefficientBatch.draw). */
    @CriticalRegion
    public static native int diffeo_draw(float[] zu, float[] zv, int count, int cut,
                                         @Cast("long long") long seed, @Cast("long long") long first, int simd);

    @CriticalRegion
    public static native int diffeo_synthesize(@Const float[] zu, @Const float[] zv, float[] dx, float[] dy,
                                               int skip, int count, int cut, double temperature, int h, int w,
                                               int threads, int simd, @Cast("long long") long pool);

    public static native int diffeo_synthesize(@Const FloatBuffer zu, @Const FloatBuffer zv, FloatBuffer dx,
                                               FloatBuffer dy, int skip, int count, int cut, double temperature, int h, int w,
                                               int threads, int simd, @Cast("long long") long pool);

    /** det(I - grad tau) [count][h][w] of the coefficients zu, zv (Jacobian.determinant). */
    @CriticalRegion
    public static native int diffeo_jacobian(@Const float[] zu, @Const float[] zv, float[] det, int skip, int count,
                                             int cut, double temperature, int h, int w, int threads, int simd,
                                             @Cast("long long") long pool);

    @CriticalRegion
    public static native int diffeo_remap(@Const float[] in, @Const float[] dx, @Const float[] dy, float[] out,
                                          int skip, int count, int channels, int h, int w, int interp, int threads, int simd, @Cast("long long") long pool);

    public static native int diffeo_remap(@Const FloatBuffer in, @Const FloatBuffer dx, @Const FloatBuffer dy,
                                          FloatBuffer out, int skip, int count, int channels, int h, int w, int interp,
                                          int threads, int simd, @Cast("long long") long pool);

    @CriticalRegion
    public static native int diffeo_deform(@Const float[] in, float[] out, int skip, int count, int channels, int h, int w,
                                           int cut, double temperature, int interp,
                                           @Cast("long long") long seed, @Cast("long long") long first,
                                           int threads, int simd, @Cast("long long") long pool);

    public static native int diffeo_deform(@Const FloatBuffer in, FloatBuffer out, int skip, int count, int channels, int h,
                                           int w, int cut, double temperature, int interp,
                                           @Cast("long long") long seed, @Cast("long long") long first,
                                           int threads, int simd, @Cast("long long") long pool);

    /** The noise of G_f (Noise.sample) for samples skip .. skip+count-1 of size floats; out may be deformed. */
    @CriticalRegion
    public static native int diffeo_noise(@Const float[] clean, @Const float[] deformed, float[] out, int skip, int count,
                                          int size, @Cast("long long") long seed, @Cast("long long") long first,
                                          int threads, int simd, @Cast("long long") long pool);

    public static native int diffeo_noise(@Const FloatBuffer clean, @Const FloatBuffer deformed, FloatBuffer out, int skip,
                                          int count, int size, @Cast("long long") long seed, @Cast("long long") long first,
                                          int threads, int simd, @Cast("long long") long pool);

    /** ||a_k - b_k||^2 per sample (Noise.squaredDistance) into out[skip ..]. */
    @CriticalRegion
    public static native int diffeo_distances(@Const float[] a, @Const float[] b, double[] out, int skip, int count, int size,
                                              int threads, int simd, @Cast("long long") long pool);

    public static native int diffeo_distances(@Const FloatBuffer a, @Const FloatBuffer b, DoubleBuffer out, int skip, int count,
                                              int size, int threads, int simd, @Cast("long long") long pool);
}
