package org.diffeo4j.cpu;

import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.Jacobian;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.diffeo4j.backend.ExactChecks.assertSameBits;
import static org.diffeo4j.backend.TwinChecks.images;
import static org.diffeo4j.backend.TwinChecks.temperature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The precision rule's equality claim (docs/precision.md): the native backend's generic (non-SIMD)
 * kernels and the Java reference perform the same floating-point operations in the same order, so
 * they give the same bits ({@link org.diffeo4j.backend.ExactChecks}), never a tolerance. Covered:
 * coefficient draws, fields on the float and the double (large-field) path, remap by every
 * interpolation, the fused deform, the Jacobian determinant and non-finite fields; sizes 1, 17, 31,
 * 33, 224 and non-square, 1 to 4 channels, batch 1 and larger. The AVX2 kernels are held to the same
 * bits where they call no function of their own (fields from given coefficients, bilinear, nearest,
 * Jacobian); their draws and Gaussian use their own log/sin/cos/exp and are judged by tolerance in
 * {@link TwinBackendTest}.
 */
class GenericPathExactTest {
    /** height, width, channels, cut, batch. */
    static final int[][] SHAPES = {
            {1, 1, 1, 2, 1}, {1, 17, 2, 3, 5}, {17, 1, 1, 3, 1}, {17, 17, 3, 5, 64}, {28, 28, 1, 3, 256},
            {31, 31, 4, 4, 1}, {32, 32, 3, 15, 64}, {33, 33, 1, 15, 64}, {33, 33, 2, 6, 1},
            {20, 37, 2, 7, 64}, {37, 20, 4, 5, 1}, {224, 224, 3, 30, 2}, {224, 224, 1, 30, 1},
    };
    /** Typical displacement (Eq. 3) of a small field, and of fields well above the 4 px rms limit. */
    static final double SMALL = 1.0, LARGE = 12.0;
    static final int GENERIC = 0;
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
    Stream<DynamicTest> fieldsAndRemapsHaveTheSameBits() {
        List<DynamicTest> tests = new ArrayList<>();
        if (NativeLibrary.simdLevels().length > 0) {
            for (int[] s : SHAPES) {
                for (double delta : new double[]{SMALL, LARGE}) {
                    tests.add(DynamicTest.dynamicTest(String.format("fields+remaps %dx%dx%d cut %d batch %d delta %.0f",
                            s[0], s[1], s[2], s[3], s[4], delta), () -> checkFieldsAndRemaps(s, delta)));
                }
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    @TestFactory
    Stream<DynamicTest> fusedDeformHasTheSameBits() {
        List<DynamicTest> tests = new ArrayList<>();
        if (NativeLibrary.simdLevels().length > 0) {
            for (int[] s : SHAPES) {
                for (Interpolation interp : Interpolation.values()) {
                    for (double delta : new double[]{SMALL, LARGE}) {
                        tests.add(DynamicTest.dynamicTest(String.format("deform %dx%dx%d cut %d batch %d %s delta %.0f",
                                s[0], s[1], s[2], s[3], s[4], interp.cliName(), delta), () -> checkDeform(s, interp, delta)));
                    }
                }
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    @TestFactory
    Stream<DynamicTest> drawsJacobianAndNonFiniteFieldsHaveTheSameBits() {
        if (NativeLibrary.simdLevels().length == 0) {
            return NativeLibrary.orSkipped(List.of());
        }
        return Stream.of(
                DynamicTest.dynamicTest("coefficient draws", GenericPathExactTest::checkDraws),
                DynamicTest.dynamicTest("jacobian", GenericPathExactTest::checkJacobian),
                DynamicTest.dynamicTest("NaN and infinite fields", GenericPathExactTest::checkNonFinite));
    }

    /**
     * The G_f step: distances are the same double sums in the same order (bit for bit by
     * construction); the noise also uses normals, where libm and Math may differ by an ulp of a
     * double (as for the draws), so its bits are equal on this data, not by construction.
     */
    @TestFactory
    Stream<DynamicTest> noiseAndDistancesHaveTheSameBits() {
        List<DynamicTest> tests = new ArrayList<>();
        if (NativeLibrary.simdLevels().length > 0) {
            for (int[] s : SHAPES) {
                tests.add(DynamicTest.dynamicTest(String.format("noise+distances %dx%dx%d batch %d", s[0], s[1], s[2], s[4]), () -> {
                    ImageBatch x = images(s[4], s[2], s[0], s[1], 3), y = images(s[4], s[2], s[0], s[1], 4);
                    try (NativeBackend nat = new NativeBackend(2, GENERIC)) {
                        assertSameBits("noise", java.addNoise(x, y, 17, 5).data(), nat.addNoise(x, y, 17, 5).data());
                        double[] want = java.squaredDistances(x, y), got = nat.squaredDistances(x, y);
                        for (int k = 0; k < want.length; k++) {
                            assertEquals(Double.doubleToLongBits(want[k]), Double.doubleToLongBits(got[k]), "distance " + k);
                        }
                    }
                }));
            }
        }
        return NativeLibrary.orSkipped(tests);
    }

    static void checkFieldsAndRemaps(int[] s, double delta) {
        int h = s[0], w = s[1], channels = s[2], cut = s[3], count = s[4];
        CoefficientBatch z = CoefficientBatch.draw(cut, 4242 + h * 7L + cut, 3, count);
        double t = temperature(delta, cut, h, w);
        requireBothPathsWhereMeant(z, t, h, w, delta);
        FieldBatch want = java.synthesize(z, t, h, w);
        ImageBatch in = images(count, channels, h, w, 17);
        for (int simd : NativeLibrary.simdLevels()) {
            try (NativeBackend nat = NativeLibrary.open(2, simd)) {
                FieldBatch got = nat.synthesize(z, t, h, w);
                assertSameBits("dx simd " + simd, want.dx(), got.dx());
                assertSameBits("dy simd " + simd, want.dy(), got.dy());
                for (Interpolation interp : Interpolation.values()) {
                    if (simd == GENERIC || interp != Interpolation.GAUSSIAN) { // AVX2's own exp: TwinBackendTest
                        assertSameBits("remap " + interp.cliName() + " simd " + simd, java.remap(in, want, interp).data(),
                                nat.remap(in, want, interp).data());
                    }
                }
            }
        }
    }

    static void checkDeform(int[] s, Interpolation interp, double delta) {
        int h = s[0], w = s[1];
        ImageBatch in = images(s[4], s[2], h, w, 23);
        DiffeoSpec spec = new DiffeoSpec(s[3], temperature(delta, s[3], h, w), interp);
        long seed = 20211206L + h * 31L + s[3];
        try (NativeBackend nat = NativeLibrary.open(2, GENERIC)) {
            assertSameBits("deform", java.deform(in, spec, seed, 11).data(), nat.deform(in, spec, seed, 11).data());
        }
    }

    static void checkDraws() {
        for (int cut : new int[]{1, 2, 3, 5, 15, 30}) {
            int count = 300;
            CoefficientBatch want = CoefficientBatch.draw(cut, 0x1234_5678_9ABCL, (1L << 33) + 5, count);
            float[] zu = new float[count * cut * cut], zv = new float[zu.length];
            assertEquals(0, DiffeoNative.diffeo_draw(zu, zv, count, cut, 0x1234_5678_9ABCL, (1L << 33) + 5, GENERIC));
            assertSameBits("zu cut " + cut, want.zu(), zu);
            assertSameBits("zv cut " + cut, want.zv(), zv);
        }
    }

    static void checkJacobian() {
        for (int[] s : new int[][]{{1, 1, 2}, {17, 17, 3}, {28, 28, 5}, {33, 33, 15}, {20, 37, 6}, {64, 64, 30}}) {
            int h = s[0], w = s[1], cut = s[2], count = 7, plane = h * w;
            CoefficientBatch z = CoefficientBatch.draw(cut, 31, 0, count);
            for (double delta : new double[]{3.0, LARGE}) { // folds at 3 px; double path at 12
                double t = temperature(delta, cut, h, w);
                float[] want = new float[count * plane], one = new float[plane];
                for (int k = 0; k < count; k++) {
                    Jacobian.determinant(z, k, t, h, w, one);
                    System.arraycopy(one, 0, want, k * plane, plane);
                }
                for (int simd : NativeLibrary.simdLevels()) {
                    try (NativeBackend nat = NativeLibrary.open(2, simd)) {
                        assertSameBits(String.format("det %dx%d cut %d delta %.0f simd %d", h, w, cut, delta, simd), want,
                                nat.determinant(z, t, h, w));
                    }
                }
            }
        }
    }

    /** An infinite displacement clamps to the border; a NaN one reads pixel 0 (Java's (int) NaN). */
    static void checkNonFinite() {
        int h = 19, w = 23, plane = h * w;
        ImageBatch in = images(2, 3, h, w, 4);
        FieldBatch f = java.synthesize(CoefficientBatch.draw(4, 1, 0, 2), 1e-3, h, w);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int k = 0; k < 40; k++) {
            int p = (k * 97) % (2 * plane);
            f.dx()[p] = bad[k % 3];
            f.dy()[(p * 7 + 3) % (2 * plane)] = bad[(k + 1) % 3];
        }
        try (NativeBackend nat = NativeLibrary.open(2, GENERIC)) {
            for (Interpolation interp : Interpolation.values()) {
                assertSameBits("non-finite " + interp.cliName(), java.remap(in, f, interp).data(), nat.remap(in, f, interp).data());
            }
        }
    }

    /** The small case must stay on the float path and the large one reach the double path, or the test proves less than it says. */
    static void requireBothPathsWhereMeant(CoefficientBatch z, double t, int h, int w, double delta) {
        if (h == 1 || w == 1) {
            return; // a one-pixel axis is all border: the field is 0 on either path
        }
        int per = z.cut() * z.cut(), large = 0;
        for (int k = 0; k < z.count(); k++) {
            large += FieldSynthesis.isLarge(z.cut(), z.zu(), k * per, w * Math.sqrt(t)) ? 1 : 0;
            large += FieldSynthesis.isLarge(z.cut(), z.zv(), k * per, h * Math.sqrt(t)) ? 1 : 0;
        }
        int fields = 2 * z.count(), l = large;
        assertTrue(delta == SMALL ? large < fields : large > 0,
                () -> "delta " + delta + ": " + l + " of " + fields + " fields on the double path");
    }
}
