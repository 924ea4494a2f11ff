package org.diffeo4j.interp;

import org.diffeo4j.TestImages;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RemapPropertiesTest {
    @ParameterizedTest
    @EnumSource(value = Interpolation.class, names = {"BILINEAR", "NEAREST"})
    void zeroTemperatureIsTheIdentity(Interpolation interp) {
        for (int[] shape : new int[][]{{1, 1}, {28, 28}, {17, 31}, {33, 33}}) {
            ImageBatch in = TestImages.random(3, 3, shape[0], shape[1], 9);
            try (JavaBackend b = new JavaBackend(2)) {
                ImageBatch out = b.deform(in, new DiffeoSpec(5, 0, interp), 1, 0);
                assertArrayEquals(in.data(), out.data(), "T = 0 must return the image bit for bit");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Interpolation.class, names = {"BILINEAR", "NEAREST"})
    void integerShiftsMovePixelsExactly(Interpolation interp) {
        int h = 9, w = 11, sx = 2, sy = -3;
        ImageBatch in = TestImages.random(1, 2, h, w, 4);
        FieldBatch f = FieldBatch.zeros(1, h, w);
        Arrays.fill(f.dx(), sx);
        Arrays.fill(f.dy(), sy);
        ImageBatch out;
        try (JavaBackend b = new JavaBackend(1)) {
            out = b.remap(in, f, interp);
        }
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int srcX = Math.min(Math.max(x - sx, 0), w - 1), srcY = Math.min(Math.max(y - sy, 0), h - 1);
                    assertEquals(in.data()[c * h * w + srcY * w + srcX], out.data()[c * h * w + y * w + x],
                            "pixel " + c + "," + y + "," + x);
                }
            }
        }
    }

    /** The truncated Gaussian window against the reference's dense sum over all pixels, borders included. */
    @Test
    void gaussianWindowAgreesWithTheDenseSum() {
        int h = 12, w = 15;
        ImageBatch in = TestImages.random(1, 2, h, w, 8);
        FieldBatch f = FieldBatch.zeros(1, h, w);
        SplittableRandom r = new SplittableRandom(3);
        for (int p = 0; p < h * w; p++) { // large displacements push many sample points onto the border
            f.dx()[p] = (float) (r.nextDouble() * 30 - 15);
            f.dy()[p] = (float) (r.nextDouble() * 30 - 15);
        }
        ImageBatch out;
        try (JavaBackend b = new JavaBackend(1)) {
            out = b.remap(in, f, Interpolation.GAUSSIAN);
        }
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double px = Math.min(Math.max(x - (double) f.dx()[y * w + x], 0), w - 1);
                    double py = Math.min(Math.max(y - (double) f.dy()[y * w + x], 0), h - 1);
                    double num = 0, den = 0;
                    for (int qy = 0; qy < h; qy++) {
                        for (int qx = 0; qx < w; qx++) {
                            double wt = Math.exp(-((qx - px) * (qx - px) + (qy - py) * (qy - py)) / (2 * Remap.SIGMA * Remap.SIGMA));
                            num += wt * in.data()[c * h * w + qy * w + qx];
                            den += wt;
                        }
                    }
                    worst = Math.max(worst, Math.abs(num / den - out.data()[c * h * w + y * w + x]));
                }
            }
        }
        assertEquals(0, worst, 1e-6, "truncated vs dense Gaussian");
    }

    @Test
    void sameSeedSameBitsForAnyThreadCountAndBatchSplit() {
        ImageBatch in = TestImages.random(101, 3, 20, 23, 11);
        for (Interpolation interp : Interpolation.values()) {
            DiffeoSpec spec = new DiffeoSpec(6, 3e-3, interp);
            float[] ref;
            try (JavaBackend one = new JavaBackend(1)) {
                ref = one.deform(in, spec, 77, 1000).data();
            }
            for (int threads : new int[]{2, 7}) {
                try (JavaBackend b = new JavaBackend(threads)) {
                    assertArrayEquals(ref, b.deform(in, spec, 77, 1000).data(), interp + " with " + threads + " threads");
                }
            }
            try (JavaBackend b = new JavaBackend(2)) { // split 0..37, 37..101 with matching stream offsets
                float[] a = b.deform(in.slice(0, 37), spec, 77, 1000).data();
                float[] c = b.deform(in.slice(37, 64), spec, 77, 1037).data();
                float[] joined = Arrays.copyOf(a, a.length + c.length);
                System.arraycopy(c, 0, joined, a.length, c.length);
                assertArrayEquals(ref, joined, interp + " split 37 + 64");
            }
            // the fused path equals draw + synthesize + remap
            try (JavaBackend b = new JavaBackend(2)) {
                FieldBatch f = b.synthesize(CoefficientBatch.draw(6, 77, 1000, in.count()), 3e-3, 20, 23);
                assertArrayEquals(ref, b.remap(in, f, interp).data(), interp + " fused vs staged");
            }
        }
    }

    @Test
    void distinctSamplesGetDistinctFields() {
        ImageBatch one = TestImages.random(1, 1, 16, 16, 1);
        float[] d = new float[2 * 256];
        System.arraycopy(one.data(), 0, d, 0, 256);
        System.arraycopy(one.data(), 0, d, 256, 256);
        try (JavaBackend b = new JavaBackend(1)) {
            ImageBatch out = b.deform(new ImageBatch(2, 1, 16, 16, d), new DiffeoSpec(5, 1e-2, Interpolation.BILINEAR), 3, 0);
            float[] a = Arrays.copyOfRange(out.data(), 0, 256), c = Arrays.copyOfRange(out.data(), 256, 512);
            org.junit.jupiter.api.Assertions.assertFalse(Arrays.equals(a, c), "two samples must not share a diffeo");
        }
    }

    @Test
    void interpolationNamesParse() {
        assertEquals(Interpolation.BILINEAR, Interpolation.parse("linear"));
        assertEquals(Interpolation.GAUSSIAN, Interpolation.parse("Gaussian"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Interpolation.parse("cubic"));
        assertEquals("interp must be bilinear, gaussian or nearest, found 'cubic'", e.getMessage());
    }
}
