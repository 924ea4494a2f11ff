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
    private CoefficientBatch coeffs;
    private FieldBatch out; // in the backend's own memory (device on a GPU; the coefficients are uploaded per call)
    private double temperature;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        coeffs = CoefficientBatch.draw(cut, 42, 0, batch);
        temperature = Temperatures.temperature(1.0, cut, size);
        out = b.allocateFields(batch, size, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.close();
        b.close();
    }

    @Benchmark
    public FieldBatch synthesize(ImageCounter counter) {
        counter.images += batch;
        b.synthesizeInto(coeffs, temperature, out);
        b.synchronize();
        return out;
    }
}
