package org.diffeo4j.cuda;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.stability.Noise;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.DeformVerifier;
import org.diffeo4j.verify.ReferenceFile;
import org.diffeo4j.verify.Tolerances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.diffeo4j.backend.TwinChecks.assertOnlyTies;
import static org.diffeo4j.backend.TwinChecks.assertPasses;
import static org.diffeo4j.backend.TwinChecks.images;
import static org.diffeo4j.backend.TwinChecks.temperature;
import static org.diffeo4j.backend.TwinChecks.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cuda backend against the Java reference: the shared {@link org.diffeo4j.backend.TwinHarness}
 * (every operation of the interface, every shape, heap and device memory) plus what is particular to
 * a GPU (chunking, batch splits across chunks, a large batch, the goldens). Run twice: on the CPU emulator of the kernels
 * ({@link EmulatedTwinTest}, every build) and on a real GPU ({@link GpuTwinTest}, tagged {@code gpu},
 * skipped with its reason where there is none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaTwinHarness {
    JavaBackend java;
    CudaBackend cuda;

    /** The backend under test, or null where it cannot run here (then see skipReason). */
    abstract CudaBackend open();

    /** Batch of the large-batch test (100,000 on a GPU). */
    abstract int[] largeBatchShape();

    @BeforeAll
    void openBackends() {
        java = new JavaBackend(2);
        cuda = open();
    }

    /**
     * Where open() found no backend (only the GPU's open() returns null: no device here), every test is
     * skipped, visibly and with the reason, in CI too; the emulator's open() skips (fails in CI) itself.
     */
    @BeforeEach
    void requireBackend() {
        org.diffeo4j.Preconditions.gpu(cuda != null, this::skipReason);
    }

    /** Why there is no backend to test (only asked when open() returned null). */
    String skipReason() {
        return "backend not available";
    }

    @AfterAll
    void closeBackends() {
        if (cuda != null) {
            cuda.close();
        }
        java.close();
    }

    /** The shared twin harness (core's TwinHarness): every operation of the interface on its shapes, heap and device memory. */
    @org.junit.jupiter.api.Test
    void sharedHarnessEveryOperationEveryShape() {
        List<org.diffeo4j.backend.DiffeoBackend> backends = List.of(cuda);
        int checks = org.diffeo4j.backend.TwinHarness.run(backends, org.diffeo4j.backend.TwinHarness.SHAPES);
        System.out.println(org.diffeo4j.backend.TwinHarness.describe(backends, org.diffeo4j.backend.TwinHarness.SHAPES, checks));
        org.junit.jupiter.api.Assertions.assertEquals(org.diffeo4j.backend.TwinHarness.expected(1, org.diffeo4j.backend.TwinHarness.SHAPES), checks);
    }

    @Test
    void largeFieldsTakeTheDoublePath() {
        CoefficientBatch z = CoefficientBatch.draw(30, 5, 0, 6);
        for (double t : new double[] {0.02, 0.1}) {
            FieldBatch want = java.synthesize(z, t, 64, 64), got = cuda.synthesize(z, t, 64, 64);
            assertPasses(Comparison.of("dx T=" + t, toDouble(want.dx()), got.dx(), Tolerances.TWIN_ATOL, 0));
            assertPasses(Comparison.of("dy T=" + t, toDouble(want.dy()), got.dy(), Tolerances.TWIN_ATOL, 0));
        }
    }

    @Test
    void batchSplitGivesTheSameBits() {
        ImageBatch images = images(41, 3, 19, 23, 3);
        DiffeoSpec spec = new DiffeoSpec(6, temperature(2.0, 6, 19, 23), Interpolation.GAUSSIAN);
        float[] whole = cuda.deform(images, spec, 77, 1000).data();
        int size = images.sampleSize();
        int[] cuts = {0, 7, 20, 41};
        for (int k = 0; k + 1 < cuts.length; k++) {
            ImageBatch part = images.slice(cuts[k], cuts[k + 1] - cuts[k]);
            float[] got = cuda.deform(part, spec, 77, 1000 + cuts[k]).data();
            float[] want = Arrays.copyOfRange(whole, cuts[k] * size, cuts[k + 1] * size);
            assertArrayEquals(want, got, "samples " + cuts[k] + ".." + cuts[k + 1]);
        }
    }

    @Test
    void largeBatchMatchesJava() {
        int[] s = largeBatchShape();
        checkDeform(cuda, s, Interpolation.BILINEAR, 1.0);
    }

    @TestFactory
    Stream<DynamicTest> goldensReproduce() {
        List<Path> files = SharedFiles.golden("deform");
        assertFalse(files.isEmpty(), "no deform reference files found");
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName() + " on " + cuda.device(), () -> {
            List<Comparison> cs = DeformVerifier.verify(ReferenceFile.read(p), cuda);
            assertTrue(cs.size() >= 5, "expected fields, 3 remaps and scalars, found " + cs.size());
            cs.forEach(c -> assertTrue(c.passed(), c.describe()));
        }));
    }

    void checkDeform(CudaBackend backend, int[] s, Interpolation interp, double delta) {
        ImageBatch images = images(s[4], s[2], s[0], s[1], 11);
        DiffeoSpec spec = new DiffeoSpec(s[3], temperature(delta, s[3], s[0], s[1]), interp);
        long seed = 20211206L + s[0] * 31L + s[3];
        ImageBatch want = java.deform(images, spec, seed, 7);
        ImageBatch got = backend.deform(images, spec, seed, 7);
        Comparison c = Comparison.of("deform", toDouble(want.data()), got.data(), Tolerances.TWIN_ATOL, 0);
        if (!c.passed() && interp == Interpolation.NEAREST) {
            FieldBatch f = java.synthesize(CoefficientBatch.draw(spec.cut(), seed, 7, images.count()), spec.temperature(),
                    images.height(), images.width());
            assertOnlyTies(want, got, f, c);
        } else {
            assertPasses(c);
        }
    }
}
