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
    private ImageBatch images, out; // in the backend's own memory: on a GPU they stay on the device, kernel time only
    private DiffeoSpec spec;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        images = BenchState.resident(b, BenchState.images(batch, channels, size, 42));
        out = b.allocateImages(batch, channels, size, size);
        spec = new DiffeoSpec(cut, Temperatures.temperature(1.0, cut, size), Interpolation.parse(interp));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchState.close(b, images, out);
    }

    @Benchmark
    public ImageBatch deform(ImageCounter counter) {
        // deformInto a reused batch: what a pipeline does, and no allocation of `batch` images is timed;
        // synthesis included (draw, fields and remap fused), then synchronise (a GPU returns early)
        b.deformInto(images, spec, 7, next, out);
        b.synchronize();
        next += batch;
        counter.images += batch;
        return out;
    }
}
