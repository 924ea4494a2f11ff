package org.diffeo4j.bench;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Temperatures;
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

/** Field synthesis only: coefficients drawn once in set-up, (dx, dy) synthesised per image. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FieldBenchmark {
    @Param({"28"})
    public int size;
    @Param({"3"})
    public int cut;
    @Param({"java", "native"}) // and cuda, on a GPU machine: -p backend=cuda
    public String backend;
    @Param({"1024"})
    public int batch;
    @Param({"2"})
    public int threads;

    private DiffeoBackend b;
    private CudaResident gpu; // backend=cuda: coefficients and fields stay on the device
    private org.diffeo4j.cuda.DeviceBuffer zu, zv, dx, dy;
    private CoefficientBatch coeffs;
    private double temperature;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        coeffs = CoefficientBatch.draw(cut, 42, 0, batch);
        temperature = Temperatures.temperature(1.0, cut, size);
        gpu = CudaResident.of(b);
        if (gpu != null) {
            zu = gpu.upload(coeffs.zu());
            zv = gpu.upload(coeffs.zv());
            dx = gpu.allocate((long) batch * size * size);
            dy = gpu.allocate((long) batch * size * size);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        CudaResident.close(gpu, b);
    }

    @Benchmark
    public FieldBatch synthesize(ImageCounter counter) {
        counter.images += batch;
        if (gpu != null) {
            gpu.cuda.synthesize(zu.address(), zv.address(), dx.address(), dy.address(), batch, cut, temperature, size, size);
            gpu.cuda.synchronize();
            return null;
        }
        return b.synthesize(coeffs, temperature, size, size);
    }
}
