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
 * What only the native backend has, against Java: the header's normals one address at a time and
 * the Jacobian determinant (not an operation of the interface). The operations of the interface are
 * checked by the shared harness ({@link NativeTwinHarnessTest}).
 */
class TwinBackendTest {
    static JavaBackend java;

    @BeforeAll
    static void openJava() {
        java = new JavaBackend(2);
    }

    @AfterAll
    static void closeJava() {
        java.close();
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
}
