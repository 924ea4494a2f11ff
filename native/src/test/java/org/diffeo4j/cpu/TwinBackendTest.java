package org.diffeo4j.cpu;

import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Jacobian;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.Tolerances;

import static org.diffeo4j.backend.TwinChecks.assertOnlyTies;
import static org.diffeo4j.backend.TwinChecks.assertPasses;
import static org.diffeo4j.backend.TwinChecks.images;
import static org.diffeo4j.backend.TwinChecks.temperature;
import static org.diffeo4j.backend.TwinChecks.toDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twin-backend harness: same seed, same images, native (every SIMD level the CPU runs) against
 * the Java reference within {@link Tolerances#TWIN_ATOL}, for fields, remaps and the fused deform,
 * over awkward sizes (1, 17, 31, 33), the paper's (28, 32, 64, 224), non-square, 1 and 3 channels,
 * batch 1 and 1000, and every interpolation.
 */
class TwinBackendTest {
    /** height, width, channels, cut, batch. Batch 1000 on the small sizes keeps the run short. */
    static final int[][] SHAPES = {
            {1, 1, 1, 2, 1}, {1, 1, 3, 3, 1000}, {17, 17, 1, 3, 1}, {17, 17, 3, 5, 1000},
            {28, 28, 1, 3, 1000}, {28, 28, 3, 3, 1}, {31, 31, 1, 5, 1000}, {31, 31, 3, 4, 1},
            {33, 33, 3, 15, 1000}, {33, 33, 1, 6, 1}, {64, 64, 1, 10, 1}, {64, 64, 3, 15, 50},
            {224, 224, 3, 30, 1}, {224, 224, 1, 30, 3}, {20, 37, 1, 4, 1}, {20, 37, 3, 7, 1000},
            {37, 20, 3, 5, 1}, {1, 17, 1, 3, 1}, {32, 32, 3, 15, 1000},
    };
    static final double[] DELTAS = {1.0, 4.0}; // typical and strongly clamping displacements
    static JavaBackend java;

    @BeforeAll
    static void openJava() {
        java = new JavaBackend(2);
    }

    @AfterAll
    static void closeJava() {
        java.close();
    }

    @TestFactory
    Stream<DynamicTest> deformMatchesJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            for (int[] s : SHAPES) {
                for (Interpolation interp : Interpolation.values()) {
                    for (double delta : DELTAS) {
                        String name = String.format("deform %dx%dx%d cut %d batch %d %s delta %.0f simd %d",
                                s[0], s[1], s[2], s[3], s[4], interp.cliName(), delta, simd);
                        tests.add(DynamicTest.dynamicTest(name, () -> checkDeform(s, interp, delta, simd)));
                    }
                }
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    @TestFactory
    Stream<DynamicTest> fieldsAndRemapMatchJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            for (int[] s : SHAPES) {
                String name = String.format("synthesize+remap %dx%dx%d cut %d batch %d simd %d",
                        s[0], s[1], s[2], s[3], Math.min(s[4], 100), simd);
                tests.add(DynamicTest.dynamicTest(name, () -> checkFieldsAndRemap(s, simd)));
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    /**
     * Non-finite displacements do not crash or read out of bounds, and give what Java gives: an
     * infinite one clamps to the border; a NaN one reads pixel 0 (Java's (int) NaN) and yields NaN
     * where a weight is NaN (bilinear, gaussian) or pixel 0's value (nearest).
     */
    @TestFactory
    Stream<DynamicTest> nonFiniteFieldsBehaveAsInJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            tests.add(DynamicTest.dynamicTest("NaN and infinite fields, simd " + simd, () -> {
                int h = 19, w = 23, plane = h * w;
                ImageBatch images = images(2, 3, h, w, 4);
                FieldBatch f = java.synthesize(CoefficientBatch.draw(4, 1, 0, 2), 1e-3, h, w);
                float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
                for (int k = 0; k < 40; k++) {
                    int p = (k * 97) % (2 * plane);
                    f.dx()[p] = bad[k % 3];
                    f.dy()[(p * 7 + 3) % (2 * plane)] = bad[(k + 1) % 3];
                }
                try (NativeBackend nat = NativeLibrary.open(2, simd)) {
                    for (Interpolation interp : Interpolation.values()) {
                        float[] want = java.remap(images, f, interp).data(), got = nat.remap(images, f, interp).data();
                        for (int k = 0; k < want.length; k++) {
                            int i = k;
                            assertTrue(Float.compare(want[k], got[k]) == 0 || Math.abs(want[k] - got[k]) <= Tolerances.TWIN_ATOL,
                                    () -> interp + " [" + i + "] expected " + want[i] + ", found " + got[i]);
                        }
                    }
                }
            }));
        }
        return NativeLibrary.orSkipped(tests);
    }

    /** The header's Philox addressing and Box–Muller, one normal at a time, against Normals.at (libm vs Math: 1e-15). */
    @TestFactory
    Stream<DynamicTest> normalsAtTheSameAddresses() {
        if (NativeLibrary.simdLevels().length == 0) {
            return NativeLibrary.orSkipped(List.of());
        }
        return Stream.of(DynamicTest.dynamicTest("normal_at", () -> {
            long[] seeds = {0, 1, 0xDEADBEEFCAFEL, -1};
            long[] samples = {0, 1, (1L << 32) + 3, Long.MAX_VALUE};
            for (long seed : seeds) {
                for (long sample : samples) {
                    for (int stream = 0; stream < 3; stream++) {
                        for (int e : new int[]{0, 1, 2, 3, 4, 7, 224, 899, 1 << 20}) {
                            double want = org.diffeo4j.random.Normals.at(seed, sample, stream, e);
                            double got = DiffeoNative.diffeo_normal_at(seed, sample, stream, e);
                            String where = "normal at (" + seed + ", " + sample + ", " + stream + ", " + e + ")";
                            assertTrue(Math.abs(got - want) <= 1e-15 * Math.max(1, Math.abs(want)),
                                    () -> where + ": expected " + want + ", found " + got);
                        }
                    }
                }
            }
        }));
    }

    /** Appendix B: det(I - grad tau) from the header's derivative tables and jacobian_det, as Jacobian computes it. */
    @TestFactory
    Stream<DynamicTest> jacobianMatchesJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            for (int[] s : new int[][]{{1, 1, 2}, {17, 17, 3}, {28, 28, 5}, {33, 33, 15}, {20, 37, 6}, {64, 64, 30}}) {
                tests.add(DynamicTest.dynamicTest(String.format("jacobian %dx%d cut %d simd %d", s[0], s[1], s[2], simd), () -> {
                    int count = 7;
                    CoefficientBatch z = CoefficientBatch.draw(s[2], 31, 0, count);
                    double t = temperature(3.0, s[2], s[0], s[1]); // large enough that some samples fold
                    try (NativeBackend nat = NativeLibrary.open(2, simd)) {
                        float[] got = nat.determinant(z, t, s[0], s[1]);
                        int plane = s[0] * s[1];
                        for (int k = 0; k < count; k++) {
                            float[] want = new float[plane];
                            Jacobian.determinant(z, k, t, s[0], s[1], want);
                            float[] mine = Arrays.copyOfRange(got, k * plane, (k + 1) * plane);
                            assertPasses(Comparison.of("det sample " + k, toDouble(want), mine, Tolerances.TWIN_ATOL, 0));
                        }
                    }
                }));
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    /** Philox addressing and Box–Muller: the float coefficients agree (libm vs Math differ by an ulp of a double at most). */
    @TestFactory
    Stream<DynamicTest> coefficientDrawsMatchJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            tests.add(DynamicTest.dynamicTest("draws simd " + simd, () -> {
                for (int cut : new int[]{1, 2, 3, 15, 30}) {
                    int count = 37;
                    CoefficientBatch ref = CoefficientBatch.draw(cut, 0x1234_5678_9ABCL, (1L << 33) + 5, count);
                    float[] zu = new float[count * cut * cut], zv = new float[zu.length];
                    assertEquals(0, DiffeoNative.diffeo_draw(zu, zv, count, cut, 0x1234_5678_9ABCL, (1L << 33) + 5, simd));
                    assertPasses(Comparison.of("zu cut " + cut, toDouble(ref.zu()), zu, 1e-6, 0));
                    assertPasses(Comparison.of("zv cut " + cut, toDouble(ref.zv()), zv, 1e-6, 0));
                }
            }));
        }
        return NativeLibrary.orSkipped(tests);
    }

    static void checkDeform(int[] s, Interpolation interp, double delta, int simd) {
        ImageBatch images = images(s[4], s[2], s[0], s[1], 11);
        DiffeoSpec spec = new DiffeoSpec(s[3], temperature(delta, s[3], s[0], s[1]), interp);
        long seed = 20211206L + s[0] * 31L + s[3];
        try (NativeBackend nat = NativeLibrary.open(2, simd)) {
            ImageBatch want = java.deform(images, spec, seed, 7);
            ImageBatch got = nat.deform(images, spec, seed, 7);
            Comparison c = Comparison.of("deform", toDouble(want.data()), got.data(), Tolerances.TWIN_ATOL, 0);
            if (!c.passed() && interp == Interpolation.NEAREST) {
                FieldBatch f = java.synthesize(CoefficientBatch.draw(spec.cut(), seed, 7, images.count()),
                        spec.temperature(), images.height(), images.width());
                assertOnlyTies(want, got, f, c);
            } else {
                assertPasses(c);
            }
        }
    }

    static void checkFieldsAndRemap(int[] s, int simd) {
        int count = Math.min(s[4], 100);
        CoefficientBatch z = CoefficientBatch.draw(s[3], 99, 0, count);
        double t = temperature(2.0, s[3], s[0], s[1]);
        try (NativeBackend nat = NativeLibrary.open(2, simd)) {
            FieldBatch want = java.synthesize(z, t, s[0], s[1]);
            FieldBatch got = nat.synthesize(z, t, s[0], s[1]);
            assertPasses(Comparison.of("dx", toDouble(want.dx()), got.dx(), Tolerances.TWIN_ATOL, 0));
            assertPasses(Comparison.of("dy", toDouble(want.dy()), got.dy(), Tolerances.TWIN_ATOL, 0));
            ImageBatch images = images(count, s[2], s[0], s[1], 5);
            for (Interpolation interp : Interpolation.values()) {
                ImageBatch r = java.remap(images, want, interp);
                assertPasses(Comparison.of("remap " + interp.cliName(), toDouble(r.data()),
                        nat.remap(images, want, interp).data(), Tolerances.TWIN_ATOL, 0));
            }
        }
    }
}
