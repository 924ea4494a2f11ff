package org.diffeo4j.cuda;

import org.diffeo4j.backend.BatchChecks;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.backend.HeapStaging;
import org.diffeo4j.data.Floats;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.diffeo4j.cuda.KernelArg.f64;
import static org.diffeo4j.cuda.KernelArg.i32;
import static org.diffeo4j.cuda.KernelArg.i64;
import static org.diffeo4j.cuda.KernelArg.pointer;
import static org.diffeo4j.validate.Checks.requireCut;
import static org.diffeo4j.validate.Checks.requireTemperature;

/**
 * The GPU backend: the kernels of {@code src/main/cuda} (which include the per-pixel math of
 * {@code diffeo_math.cuh}, shared with the native backend) launched through the JCuda driver API.
 * Same results as {@link org.diffeo4j.backend.JavaBackend} within {@code Tolerances.TWIN_ATOL}, and
 * the same for any batch split: sample s of a call with first sample f draws at stream address f + s.
 *
 * <p>Two ways in. The {@link DiffeoBackend} methods take heap batches: each is cut into chunks of
 * at most {@link #DEFAULT_CHUNK_BYTES} of device memory, copied through pinned staging buffers,
 * run, and copied back. The methods taking device addresses ({@code long}, e.g. from
 * {@link #allocate}, a CUdeviceptr, or another CUDA library in the process; the device's primary
 * context is used, so runtime-API libraries share it) run on data already on the GPU without any
 * host copy: they are issued on the backend's stream and return at once; {@link #synchronize}
 * waits for them.
 *
 * <p>Not thread-safe beyond one call at a time (methods are synchronized; a GPU stream serialises
 * the work anyway). {@link #close} releases the device memory and the context.
 */
public final class CudaBackend implements DiffeoBackend {
    public static final String NAME = "cuda";
    /** Device memory the chunk buffers of one heap call may take; the rest stays for the caller (models). */
    public static final long DEFAULT_CHUNK_BYTES = 1L << 30;

    private final Device device;
    private final long chunkBytes;
    private final Map<Shape, Long> tables = new HashMap<>();
    private final Map<String, long[]> buffers = new HashMap<>(); // role -> {address, bytes}
    private final List<DeviceBuffer> userBuffers = new ArrayList<>();

    private record Shape(int cut, int height, int width) {
    }

    CudaBackend(Device device, long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be >= 1, found " + chunkBytes);
        }
        this.device = device;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Opens CUDA device {@code ordinal} (0 = the first).
     *
     * @throws IllegalStateException with the reason in one line where the backend cannot run
     */
    public static CudaBackend open(int ordinal) {
        var a = CudaSupport.availability();
        if (!a.available()) {
            throw new IllegalStateException("cuda backend is not available: " + a.reason());
        }
        return new CudaBackend(JCudaDevice.open(ordinal), DEFAULT_CHUNK_BYTES);
    }

    /** Whether the cuda backend can run here, and if not why, in one line; probed once per JVM. */
    public static org.diffeo4j.backend.BackendProvider.Availability availability() {
        return CudaSupport.availability();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String device() {
        return device.describe();
    }

    /** Waits until all work issued through the device-address methods has finished. */
    public synchronized void synchronize() {
        device.synchronize();
    }

    @Override
    public synchronized void close() {
        for (DeviceBuffer b : List.copyOf(userBuffers)) {
            b.close();
        }
        device.close();
    }

    // ---- device memory ----

    /** Allocates {@code floats} floats of device memory, freed by the buffer's close or this backend's. */
    synchronized DeviceBuffer allocate(long floats) {
        if (floats < 0) {
            throw new IllegalArgumentException("floats must be >= 0, found " + floats);
        }
        // at least one float, so that an empty batch still has an address
        DeviceBuffer b = new DeviceBuffer(this, device.alloc(Math.max(1, floats) * Float.BYTES), floats);
        userBuffers.add(b);
        return b;
    }

    synchronized void release(DeviceBuffer b) {
        if (userBuffers.remove(b)) {
            device.free(b.address());
        }
    }

    synchronized void upload(DeviceBuffer b, long offset, float[] src, int from, int count) {
        device.upload(b.address() + offset * Float.BYTES, src, from, count);
    }

    synchronized void download(DeviceBuffer b, long offset, float[] dst, int from, int count) {
        device.download(dst, from, b.address() + offset * Float.BYTES, count);
    }

    @Override
    public Set<Memory> memories() {
        return Set.of(Memory.DEVICE);
    }

    /** Device memory of this backend (at least one float, so an empty batch still has an address). */
    @Override
    public ImageBatch allocateImages(int count, int channels, int height, int width) {
        requireImages(count, channels, height, width);
        long n = (long) count * channels * height * width;
        return new ImageBatch(count, channels, height, width, resident(n));
    }

    @Override
    public FieldBatch allocateFields(int count, int height, int width) {
        requireSize(height, width);
        long n = (long) count * height * width;
        return new FieldBatch(count, height, width, resident(n), resident(n));
    }

    private Floats resident(long n) {
        DeviceBuffer b = allocate(n);
        float[] zeros = new float[(int) Math.min(n, 1 << 24)];
        for (long at = 0; at < n; at += zeros.length) { // the interface promises zeros
            upload(b, at, zeros, 0, (int) Math.min(zeros.length, n - at));
        }
        return Floats.device(b, true);
    }

    /** The device address of {@code f} when it is device memory of this backend, else -1 (staged). */
    private long ours(Floats f) {
        return f.memory() == Memory.DEVICE && f.device() instanceof DeviceBuffer b && b.backend() == this ? b.address() : -1;
    }

    // ---- DiffeoBackend: in place on this backend's device memory, staged in chunks otherwise ----

    /**
     * Device batches of this backend are deformed in place, with no host copy; any other memory is
     * staged through the device in chunks of {@code chunkBytes} (upload, kernel, download).
     */
    @Override
    public synchronized void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
        BatchChecks.output(images, out);
        long ai = ours(images.floats()), ao = ours(out.floats());
        if (ai >= 0 && ao >= 0) {
            deform(ai, ao, images.count(), images.channels(), images.height(), images.width(), spec, seed, firstSample);
            return;
        }
        float[] src = HeapStaging.in(images);
        HeapStaging.Output dstHeap = HeapStaging.out(out);
        int size = images.sampleSize(), chunk = LaunchGeometry.samplesPerChunk(8L * size, chunkBytes, images.count());
        long in = buffer("in", (long) chunk * size * Float.BYTES), dst = buffer("out", (long) chunk * size * Float.BYTES);
        for (int from = 0; from < images.count(); from += chunk) {
            int k = Math.min(chunk, images.count() - from);
            device.upload(in, src, from * size, k * size);
            deform(in, dst, k, images.channels(), images.height(), images.width(), spec, seed, firstSample + from);
            device.download(dstHeap.array(), from * size, dst, k * size);
        }
        dstHeap.commit();
    }

    @Override
    public synchronized void synthesizeInto(CoefficientBatch coeffs, double temperature, FieldBatch out) {
        requireTemperature(temperature);
        BatchChecks.fields(coeffs, out);
        int height = out.height(), width = out.width(), cc = coeffs.cut() * coeffs.cut(), plane = height * width;
        long ox = ours(out.dxFloats()), oy = ours(out.dyFloats());
        if (ox >= 0 && oy >= 0 && coeffs.count() > 0) {
            long zu = buffer("zu", 4L * coeffs.count() * cc), zv = buffer("zv", 4L * coeffs.count() * cc);
            device.upload(zu, coeffs.zu(), 0, coeffs.count() * cc);
            device.upload(zv, coeffs.zv(), 0, coeffs.count() * cc);
            synthesize(zu, zv, ox, oy, coeffs.count(), coeffs.cut(), temperature, height, width);
            return;
        }
        HeapStaging.Output fx = HeapStaging.out(out.dxFloats()), fy = HeapStaging.out(out.dyFloats());
        int chunk = LaunchGeometry.samplesPerChunk(8L * (cc + plane), chunkBytes, coeffs.count());
        long zu = buffer("zu", 4L * chunk * cc), zv = buffer("zv", 4L * chunk * cc);
        long dx = buffer("dx", 4L * chunk * plane), dy = buffer("dy", 4L * chunk * plane);
        for (int from = 0; from < coeffs.count(); from += chunk) {
            int k = Math.min(chunk, coeffs.count() - from);
            device.upload(zu, coeffs.zu(), from * cc, k * cc);
            device.upload(zv, coeffs.zv(), from * cc, k * cc);
            synthesize(zu, zv, dx, dy, k, coeffs.cut(), temperature, height, width);
            device.download(fx.array(), from * plane, dx, k * plane);
            device.download(fy.array(), from * plane, dy, k * plane);
        }
        fx.commit();
        fy.commit();
    }

    @Override
    public synchronized void remapInto(ImageBatch images, FieldBatch fields, Interpolation interp, ImageBatch out) {
        BatchChecks.fields(images, fields);
        BatchChecks.output(images, out);
        long ai = ours(images.floats()), ax = ours(fields.dxFloats()), ay = ours(fields.dyFloats()), ao = ours(out.floats());
        if (ai >= 0 && ax >= 0 && ay >= 0 && ao >= 0) {
            remap(ai, ax, ay, ao, images.count(), images.channels(), images.height(), images.width(), interp);
            return;
        }
        float[] src = HeapStaging.in(images), fdx = HeapStaging.in(fields.dxFloats()), fdy = HeapStaging.in(fields.dyFloats());
        HeapStaging.Output o = HeapStaging.out(out);
        int size = images.sampleSize(), plane = images.height() * images.width();
        int chunk = LaunchGeometry.samplesPerChunk(8L * (size + plane), chunkBytes, images.count());
        long in = buffer("in", 4L * chunk * size), dst = buffer("out", 4L * chunk * size);
        long dx = buffer("dx", 4L * chunk * plane), dy = buffer("dy", 4L * chunk * plane);
        for (int from = 0; from < images.count(); from += chunk) {
            int k = Math.min(chunk, images.count() - from);
            device.upload(in, src, from * size, k * size);
            device.upload(dx, fdx, from * plane, k * plane);
            device.upload(dy, fdy, from * plane, k * plane);
            remap(in, dx, dy, dst, k, images.channels(), images.height(), images.width(), interp);
            device.download(o.array(), from * size, dst, k * size);
        }
        o.commit();
    }

    /** Coefficients of samples firstSample .. firstSample+count-1, drawn on the GPU (as CoefficientBatch.draw). */
    @Override
    public synchronized CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
        requireCut(cut);
        BatchChecks.count(count);
        int cc = cut * cut;
        float[] zu = new float[count * cc], zv = new float[count * cc];
        int chunk = LaunchGeometry.samplesPerChunk(8L * cc, chunkBytes, count);
        long du = buffer("zu", 4L * chunk * cc), dv = buffer("zv", 4L * chunk * cc);
        for (int from = 0; from < count; from += chunk) {
            int k = Math.min(chunk, count - from);
            draw(du, dv, k, cut, seed, firstSample + from);
            device.download(zu, from * cc, du, k * cc);
            device.download(zv, from * cc, dv, k * cc);
        }
        return new CoefficientBatch(cut, count, zu, zv);
    }

    /**
     * The noise of G_f on the GPU, as {@code stability.Noise}: {@code clean + g/||g|| * ||deformed - clean||}
     * per image, g drawn at (seed, firstSample + s, STREAM_NOISE, k). In place on this backend's
     * device memory, staged otherwise.
     */
    @Override
    public synchronized void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out) {
        BatchChecks.sameShape(clean, deformed, "deformed");
        BatchChecks.sameShape(clean, out, "out");
        int size = clean.sampleSize();
        long ac = ours(clean.floats()), ad = ours(deformed.floats()), ao = ours(out.floats());
        if (ac >= 0 && ad >= 0 && ao >= 0) {
            addNoise(ac, ad, ao, clean.count(), size, seed, firstSample);
            return;
        }
        float[] x = HeapStaging.in(clean), y = HeapStaging.in(deformed);
        HeapStaging.Output o = HeapStaging.out(out);
        int chunk = LaunchGeometry.samplesPerChunk(12L * size, chunkBytes, clean.count());
        long a = buffer("in", 4L * chunk * size), b = buffer("out", 4L * chunk * size), n = buffer("noise", 4L * chunk * size);
        for (int from = 0; from < clean.count(); from += chunk) {
            int k = Math.min(chunk, clean.count() - from);
            device.upload(a, x, from * size, k * size);
            device.upload(b, y, from * size, k * size);
            addNoise(a, b, n, k, size, seed, firstSample + from);
            device.download(o.array(), from * size, n, k * size);
        }
        o.commit();
    }

    /** {@code ||a_s - b_s||^2} per sample, summed in double on the GPU. */
    @Override
    public synchronized void squaredDistances(ImageBatch a, ImageBatch b, double[] out) {
        BatchChecks.sameShape(a, b, "b");
        BatchChecks.perSample(a, out);
        int size = a.sampleSize();
        long aa = ours(a.floats()), ab = ours(b.floats());
        if (aa >= 0 && ab >= 0 && a.count() > 0) {
            long o = buffer("distances", 8L * a.count());
            squaredDistances(aa, ab, o, a.count(), size);
            device.download(out, 0, o, a.count());
            return;
        }
        float[] xa = HeapStaging.in(a), xb = HeapStaging.in(b);
        int chunk = LaunchGeometry.samplesPerChunk(8L * size + 8, chunkBytes, a.count());
        long x = buffer("in", 4L * chunk * size), y = buffer("out", 4L * chunk * size), o = buffer("distances", 8L * chunk);
        for (int from = 0; from < a.count(); from += chunk) {
            int k = Math.min(chunk, a.count() - from);
            device.upload(x, xa, from * size, k * size);
            device.upload(y, xb, from * size, k * size);
            squaredDistances(x, y, o, k, size);
            device.download(out, from, o, k);
        }
    }

    // ---- kernels on device addresses: no host copies, issued on the backend's stream ----

    /**
     * Fused deform of {@code count} NCHW images at device address {@code in} into {@code out}
     * (both count*channels*height*width floats, not overlapping): sample k draws at (seed, firstSample + k).
     * One block per sample draws, synthesises by row tiles in shared memory and remaps; when a
     * tile does not fit (very large cut) the draw, synthesis and remap run as separate kernels.
     */
    private void deform(long in, long out, int count, int channels, int height, int width, DiffeoSpec spec,
                                    long seed, long firstSample) {
        requireImages(count, channels, height, width);
        if (in == out) {
            throw new IllegalArgumentException("out must not be in: the remap reads neighbours it would overwrite");
        }
        if (count == 0) {
            return;
        }
        int cut = spec.cut();
        long tab = tables(cut, height, width);
        double root = Math.sqrt(spec.temperature());
        LaunchGeometry.Tile tile = LaunchGeometry.tile(cut, height, width, true, sharedBudget());
        if (tile != null) {
            List<KernelArg> args = new ArrayList<>(List.of(pointer(in), pointer(out), i32(count), i32(channels),
                    i32(height), i32(width), i32(cut), f64(width * root), f64(height * root), i64(seed),
                    i64(firstSample)));
            args.addAll(tableArgs(tab, cut, height, width));
            args.add(i32(tile.sharedBx() ? 1 : 0));
            args.add(i32(tile.rowTile()));
            device.launch(new Launch(kernelFor("diffeo_deform", spec.interpolation(), channels), count, LaunchGeometry.synthesisThreads((long) height * width),
                    tile.sharedBytes(), args));
            return;
        }
        // staged: coefficients and fields through global memory, a chunk of samples at a time
        int cc = cut * cut, plane = height * width;
        long size = (long) channels * plane;
        int chunk = LaunchGeometry.samplesPerChunk(8L * (cc + plane), chunkBytes, count);
        long zu = buffer("stage-zu", 4L * chunk * cc), zv = buffer("stage-zv", 4L * chunk * cc);
        long dx = buffer("stage-dx", 4L * chunk * plane), dy = buffer("stage-dy", 4L * chunk * plane);
        for (int from = 0; from < count; from += chunk) {
            int k = Math.min(chunk, count - from);
            draw(zu, zv, k, cut, seed, firstSample + from);
            synthesize(zu, zv, dx, dy, k, cut, spec.temperature(), height, width);
            long off = 4L * from * size;
            remap(in + off, dx, dy, out + off, k, channels, height, width, spec.interpolation());
        }
    }

    /** Coefficients {@code [count][cut][cut]} of samples firstSample + k into device arrays zu, zv. */
    private void draw(long zu, long zv, int count, int cut, long seed, long firstSample) {
        requireCut(cut);
        if (count < 1) {
            return;
        }
        long items = 2L * count * ((cut * cut + 3) / 4);
        int threads = LaunchGeometry.MAX_THREADS;
        device.launch(new Launch("diffeo_draw", LaunchGeometry.gridBlocks(items, threads, sms()), threads, 0,
                List.of(pointer(zu), pointer(zv), i32(count), i32(cut), i64(seed), i64(firstSample))));
    }

    /** Field pairs {@code [count][height][width]} into dx, dy from coefficients {@code [count][cut][cut]} at zu, zv. */
    private void synthesize(long zu, long zv, long dx, long dy, int count, int cut, double temperature,
                                        int height, int width) {
        requireCut(cut);
        requireTemperature(temperature);
        requireSize(height, width);
        if (count < 1) {
            return;
        }
        LaunchGeometry.Tile tile = LaunchGeometry.tile(cut, height, width, false, sharedBudget());
        if (tile == null) {
            throw new IllegalArgumentException("cut must leave room for one row of the synthesis in "
                    + sharedBudget() + " bytes of shared memory, found " + cut);
        }
        long tab = tables(cut, height, width);
        double root = Math.sqrt(temperature);
        List<KernelArg> args = new ArrayList<>(List.of(pointer(zu), pointer(zv), pointer(dx), pointer(dy), i32(count),
                i32(cut), i32(height), i32(width), f64(width * root), f64(height * root)));
        args.addAll(tableArgs(tab, cut, height, width));
        args.add(i32(tile.sharedBx() ? 1 : 0));
        args.add(i32(tile.rowTile()));
        device.launch(new Launch("diffeo_synthesize", count, LaunchGeometry.synthesisThreads((long) height * width),
                tile.sharedBytes(), args));
    }

    /** Remap of {@code count} NCHW images at in through fields dx, dy ({@code [count][height][width]}) into out. */
    private void remap(long in, long dx, long dy, long out, int count, int channels, int height, int width,
                                   Interpolation interp) {
        requireImages(count, channels, height, width);
        if (count == 0) {
            return;
        }
        int threads = LaunchGeometry.MAX_THREADS;
        long pixels = (long) count * height * width;
        device.launch(new Launch(kernelFor("diffeo_remap", interp, channels), LaunchGeometry.gridBlocks(pixels, threads, sms()),
                threads, 0, List.of(pointer(in), pointer(dx), pointer(dy), pointer(out), i32(count), i32(channels),
                        i32(height), i32(width))));
    }

    /**
     * The kernel for one interpolation and channel count: the .cu files compile one kernel per
     * interpolation, bilinear and nearest also specialised for 1 and 3 channels (DIFFEO_INTERP_KERNELS
     * in kernel_common.cuh), e.g. diffeo_remap_bilinear_c3; the rest take the general one.
     */
    static String kernelFor(String base, Interpolation interp, int channels) {
        String name = base + switch (interp) {
            case BILINEAR -> "_bilinear";
            case GAUSSIAN -> "_gaussian";
            case NEAREST -> "_nearest";
        };
        boolean special = interp != Interpolation.GAUSSIAN && (channels == 1 || channels == 3);
        return special ? name + "_c" + channels : name;
    }

    /** out = clean + noise of the norm of deformed - clean, per sample of {@code size} floats (see addNoise). */
    private void addNoise(long clean, long deformed, long out, int count, int size, long seed, long firstSample) {
        if (count < 1) {
            return;
        }
        requirePositive("size", size);
        device.launch(new Launch("diffeo_noise", count, LaunchGeometry.sampleThreads(size), 0,
                List.of(pointer(clean), pointer(deformed), pointer(out), i32(count), i32(size), i64(seed), i64(firstSample))));
    }

    /** {@code out[s] = ||a_s - b_s||^2} (doubles) for {@code count} samples of {@code size} floats. */
    private void squaredDistances(long a, long b, long out, int count, int size) {
        if (count < 1) {
            return;
        }
        requirePositive("size", size);
        device.launch(new Launch("diffeo_distance", count, LaunchGeometry.sampleThreads(size), 0,
                List.of(pointer(a), pointer(b), pointer(out), i32(count), i32(size))));
    }

    // ---- internals ----

    private int sms() {
        return device.limits().multiprocessors();
    }

    private int sharedBudget() {
        return Math.min(LaunchGeometry.SHARED_BUDGET, device.limits().sharedPerBlock() - 1024);
    }

    /** The five tables of (cut, h, w) in one device allocation, made by diffeo_basis on first use. */
    private long tables(int cut, int h, int w) {
        return tables.computeIfAbsent(new Shape(cut, h, w), s -> {
            long bytes = tableBytes(cut, h, w);
            long base = device.alloc(bytes);
            List<KernelArg> args = new ArrayList<>(tableArgs(base, cut, h, w));
            args.addAll(List.of(i32(cut), i32(h), i32(w)));
            // diffeo_basis takes (weights, by_d, bx, bx_e, by_e) in the order of tableArgs
            long entries = (long) cut * cut + 2L * cut * h + 2L * cut * w;
            device.launch(new Launch("diffeo_basis", LaunchGeometry.gridBlocks(entries, 256, sms()), 256, 0, args));
            return base;
        });
    }

    /** Layout: weights c*c doubles, by_d c*h doubles, bx_e c*w doubles, by_e c*h doubles, bx c*w floats. */
    private static List<KernelArg> tableArgs(long base, int cut, int h, int w) {
        long weights = base, byD = weights + 8L * cut * cut, bxE = byD + 8L * cut * h, byE = bxE + 8L * cut * w;
        long bx = byE + 8L * cut * h;
        return List.of(pointer(weights), pointer(byD), pointer(bx), pointer(bxE), pointer(byE));
    }

    private static long tableBytes(int cut, int h, int w) {
        return 8L * cut * cut + 16L * cut * h + 12L * cut * w;
    }

    /** A device buffer of at least {@code bytes} for a role, reused across calls, grown when needed. */
    private long buffer(String role, long bytes) {
        long[] b = buffers.get(role);
        if (b != null && b[1] >= bytes) {
            return b[0];
        }
        if (b != null) {
            device.free(b[0]);
            buffers.remove(role);
        }
        long address = device.alloc(bytes);
        buffers.put(role, new long[] {address, bytes});
        return address;
    }

    private static void requireImages(int count, int channels, int height, int width) {
        if (count < 0 || channels < 1) {
            throw new IllegalArgumentException("count must be >= 0 and channels >= 1, found " + count + " and " + channels);
        }
        requireSize(height, width);
    }

    private static void requireSize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be >= 1, found " + height + "x" + width);
        }
    }

    private static void requirePositive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, found " + v);
        }
    }
}
