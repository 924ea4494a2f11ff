package org.diffeo4j.bench;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
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

/** Interpolation only: fields synthesised once in set-up (delta = 1), remapped per image. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RemapBenchmark {
    @Param({"32"})
    public int size;
    @Param({"3"})
    public int channels;
    @Param({"15"})
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
    private CudaResident gpu; // backend=cuda: images and fields stay on the device
    private org.diffeo4j.cuda.DeviceBuffer gIn, gDx, gDy, gOut;
    private ImageBatch images;
    private FieldBatch fields;
    private Interpolation interpolation;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        images = BenchState.images(batch, channels, size, 42);
        fields = FieldSynthesis.synthesize(CoefficientBatch.draw(cut, 42, 0, batch), Temperatures.temperature(1.0, cut, size), size, size);
        interpolation = Interpolation.parse(interp);
        gpu = CudaResident.of(b);
        if (gpu != null) {
            gIn = gpu.upload(images.data());
            gDx = gpu.upload(fields.dx());
            gDy = gpu.upload(fields.dy());
            gOut = gpu.allocate(images.data().length);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        CudaResident.close(gpu, b);
    }

    @Benchmark
    public ImageBatch remap(ImageCounter counter) {
        counter.images += batch;
        if (gpu != null) {
            gpu.cuda.remap(gIn.address(), gDx.address(), gDy.address(), gOut.address(), batch, channels, size, size,
                    interpolation);
            gpu.cuda.synchronize();
            return null;
        }
        return b.remap(images, fields, interpolation);
    }
}
