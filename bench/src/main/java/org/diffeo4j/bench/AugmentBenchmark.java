package org.diffeo4j.bench;

import org.diffeo4j.augment.Applied;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
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

import java.util.List;

/**
 * Data augmentation of one training batch with a distinct (c, T, field) per image (issue 15):
 * {@code batched} folds T into the coefficients and runs one synthesis at the batch's largest cut
 * plus one remap ({@link AugmentBatch#imagesInto}); {@code perImage} issues one {@code deformInto}
 * per image with its own (c, T), the alternative that needs no folding. Both include the (c, T)
 * Beta draws; each invocation uses the next image indices, so no field is reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AugmentBenchmark {
    @Param({"28"})
    public int size;
    @Param({"1"})
    public int channels;
    @Param({"batched", "perImage"})
    public String mode;
    @Param({"false"})
    public boolean diffeomorphic;
    @Param({"java", "native"})
    public String backend;
    @Param({"256"})
    public int batch;
    @Param({"2"})
    public int threads;

    private DiffeoBackend b;
    private DiffeoAugment aug;
    private ImageBatch images, out;
    private ImageBatch[] single, singleOut;
    private long next;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() {
        b = BenchState.open(backend, threads);
        images = BenchState.images(batch, channels, size, 42);
        out = images.like();
        single = new ImageBatch[batch];
        singleOut = new ImageBatch[batch];
        for (int s = 0; s < batch; s++) {
            single[s] = images.slice(s, 1);
            singleOut[s] = single[s].like();
        }
        aug = new DiffeoAugment(AugmentSpec.defaults().with(org.diffeo4j.interp.Interpolation.BILINEAR, diffeomorphic,
                AugmentSpec.DEFAULT_ATTEMPTS), 7);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchState.close(b);
    }

    @Benchmark
    public Object augment(ImageCounter counter) {
        if (next + batch >= (1L << 32)) {
            next = 0;
            epoch++;
        }
        Object result;
        try (AugmentBatch prepared = aug.prepare(epoch, next, batch, size, size)) {
            if (mode.equals("batched")) {
                prepared.imagesInto(b, images, out);
                result = out;
            } else {
                List<Applied> applied = prepared.applied();
                for (int s = 0; s < batch; s++) {
                    Applied a = applied.get(s);
                    b.deformInto(single[s], a.spec(org.diffeo4j.interp.Interpolation.BILINEAR), a.seed(), a.address(), singleOut[s]);
                }
                result = singleOut;
            }
            b.synchronize();
        }
        next += batch;
        counter.images += batch;
        return result;
    }
}
