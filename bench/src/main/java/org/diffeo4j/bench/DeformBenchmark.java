package org.diffeo4j.bench;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end: a distinct diffeo per image (coefficient draw, synthesis, remap), delta = 1. Each
 * invocation uses new stream addresses, so no field is ever reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeformBenchmark {
    @Param({"28"})
    public int size;
    @Param({"1"})
    public int channels;
    @Param({"3"})
    public int cut;
    @Param({"bilinear"})
    public String interp;
    @Param({"java", "native"}) // and cuda, on a GPU machine: -p backend=cuda
    public String backend;
    @Param({"1024"})
    public int batch;
    @Param({"2"})
    public int threads;

    private DiffeoBackend b;
    private CudaResident gpu; // backend=cuda: images stay on the device, kernel time only
    private org.diffeo4j.cuda.DeviceBuffer gpuIn, gpuOut;
    private ImageBatch images, out;
    private DiffeoSpec spec;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        images = BenchState.images(batch, channels, size, 42);
        out = images.like();
        spec = new DiffeoSpec(cut, Temperatures.temperature(1.0, cut, size), Interpolation.parse(interp));
        gpu = CudaResident.of(b);
        if (gpu != null) {
            gpuIn = gpu.upload(images.data());
            gpuOut = gpu.allocate(images.data().length);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        CudaResident.close(gpu, b);
    }

    @Benchmark
    public ImageBatch deform(ImageCounter counter) {
        if (gpu != null) { // synthesis included: draw, fields and remap fused in one kernel, then synchronise
            gpu.cuda.deform(gpuIn.address(), gpuOut.address(), batch, channels, size, size, spec, 7, next);
            gpu.cuda.synchronize();
            next += batch;
            counter.images += batch;
            return out;
        }
        // deformInto a reused batch: what a pipeline does, and no allocation of `batch` images is timed
        b.deformInto(images, spec, 7, next, out);
        next += batch;
        counter.images += batch;
        return out;
    }
}
