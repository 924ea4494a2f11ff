package org.diffeo4j.cuda;

import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.diffeo4j.backend.ExactChecks.assertSameBits;
import static org.diffeo4j.backend.TwinChecks.images;
import static org.diffeo4j.backend.TwinChecks.temperature;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The claim of kernel_common.cuh that the kernels keep the Java reference's operation order
 * (docs/precision.md), checked where it can be exact: the kernels' own sources compiled by g++ with
 * -ffp-contract=off and libm (the emulator) give the Java backend's bits for draws, fields on both
 * paths, every remap and the fused deform. On a GPU, CUDA's sin/cos/log/exp replace libm's and the
 * twin harness judges by tolerance ({@link GpuTwinTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatedExactTest {
    /** height, width, channels, cut, batch: 1, 17, 31, 33, 224, non-square, 1 to 4 channels. */
    static final int[][] SHAPES = {
            {1, 1, 1, 2, 1}, {1, 17, 2, 3, 5}, {17, 17, 3, 5, 16}, {31, 31, 4, 4, 1}, {32, 32, 3, 15, 8},
            {33, 33, 1, 15, 8}, {20, 37, 2, 7, 8}, {37, 20, 4, 5, 1}, {224, 224, 3, 30, 1},
    };
    JavaBackend java;
    CudaBackend cuda;

    @BeforeAll
    void open() {
        assertNotNull(EmulatedDevice.executableOrNull(), "the kernel emulator was not built (target/emu/cuda-emu)");
        java = new JavaBackend(2);
        cuda = new CudaBackend(new EmulatedDevice(2, 48 * 1024), 1 << 20);
    }

    @AfterAll
    void close() {
        cuda.close();
        java.close();
    }

    @TestFactory
    Stream<DynamicTest> emulatedKernelsGiveTheJavaBits() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (double delta : new double[]{1.0, 12.0}) { // float path; fields well above the 4 px rms limit
                tests.add(DynamicTest.dynamicTest(String.format("%dx%dx%d cut %d batch %d delta %.0f",
                        s[0], s[1], s[2], s[3], s[4], delta), () -> check(s, delta)));
            }
        }
        return tests.stream();
    }

    void check(int[] s, double delta) {
        int h = s[0], w = s[1], channels = s[2], cut = s[3], count = s[4];
        CoefficientBatch z = CoefficientBatch.draw(cut, 99 + h, 0, count);
        CoefficientBatch drawn = cuda.draw(cut, 99 + h, 0, count);
        assertSameBits("zu", z.zu(), drawn.zu());
        assertSameBits("zv", z.zv(), drawn.zv());
        double t = temperature(delta, cut, h, w);
        FieldBatch want = java.synthesize(z, t, h, w), got = cuda.synthesize(z, t, h, w);
        assertSameBits("dx", want.dx(), got.dx());
        assertSameBits("dy", want.dy(), got.dy());
        ImageBatch in = images(count, channels, h, w, 3);
        for (Interpolation interp : Interpolation.values()) {
            assertSameBits("remap " + interp.cliName(), java.remap(in, want, interp).data(), cuda.remap(in, want, interp).data());
            DiffeoSpec spec = new DiffeoSpec(cut, t, interp);
            assertSameBits("deform " + interp.cliName(), java.deform(in, spec, 5, 0).data(), cuda.deform(in, spec, 5, 0).data());
        }
    }
}
