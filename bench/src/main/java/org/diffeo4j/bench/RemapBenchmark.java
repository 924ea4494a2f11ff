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
    private ImageBatch images, out; // images, fields and out in the backend's own memory (device on a GPU)
    private FieldBatch fields;
    private Interpolation interpolation;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        images = BenchState.resident(b, BenchState.images(batch, channels, size, 42));
        FieldBatch heap = FieldSynthesis.synthesize(CoefficientBatch.draw(cut, 42, 0, batch), Temperatures.temperature(1.0, cut, size), size, size);
        fields = b.allocateFields(batch, size, size);
        fields.dxFloats().write(heap.dx(), 0, 0, heap.dx().length);
        fields.dyFloats().write(heap.dy(), 0, 0, heap.dy().length);
        out = b.allocateImages(batch, channels, size, size);
        interpolation = Interpolation.parse(interp);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fields.close();
        BenchState.close(b, images, out);
    }

    @Benchmark
    public ImageBatch remap(ImageCounter counter) {
        counter.images += batch;
        b.remapInto(images, fields, interpolation, out);
        b.synchronize();
        return out;
    }
}
