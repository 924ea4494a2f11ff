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
 * Host-device traffic of the cuda backend, apart from the kernels: a heap batch to the device
 * ({@code h2d}), back ({@code d2h}), and the whole heap call {@code deformInto} (copy in, fused
 * kernel, copy out), which is what a caller without device-resident data gets. Bytes per image:
 * 4 * channels * size^2 each way. GPU machines only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx16g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransferBenchmark {
    @Param({"32"})
    public int size;
    @Param({"3"})
    public int channels;
    @Param({"15"})
    public int cut;
    @Param({"65536"})
    public int batch;

    private DiffeoBackend cuda;
    private ImageBatch images, out, device;
    private DiffeoSpec spec;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        cuda = BenchState.open("cuda", 1);
        images = BenchState.images(batch, channels, size, 42);
        out = images.like();
        device = cuda.allocateImages(batch, channels, size, size);
        spec = new DiffeoSpec(cut, Temperatures.temperature(1.0, cut, size), Interpolation.BILINEAR);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchState.close(cuda, device);
    }

    @Benchmark
    public void h2d(ImageCounter counter) {
        images.copyTo(device);
        cuda.synchronize();
        counter.images += batch;
    }

    @Benchmark
    public float[] d2h(ImageCounter counter) {
        device.copyTo(out);
        counter.images += batch;
        return out.data();
    }

    @Benchmark
    public ImageBatch roundTrip(ImageCounter counter) {
        cuda.deformInto(images, spec, 7, next, out);
        next += batch;
        counter.images += batch;
        return out;
    }
}
