package org.diffeo4j.augment;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shifts and flips: exact pixels of known moves, one draw per (seed, epoch, image), uniform shifts and the flip rate. */
class ShiftFlipTest {
    /** A 3 x 4 image, value 10 y + x + 1 at (y, x). */
    private static final float[] IMAGE = {
        1, 2, 3, 4,
        11, 12, 13, 14,
        21, 22, 23, 24};

    @Test
    void aKnownShiftMovesEveryPixelAndFillsWithZeros() {
        float[] out = new float[12];
        // dx = +1 (content moves right), dy = -1 (content moves up): out(y, x) = in(y + 1, x - 1)
        ShiftFlip.move(IMAGE, out, 0, 3, 4, new ShiftFlip.Draw(1, -1, false));
        assertArrayEquals(new float[]{
            0, 11, 12, 13,
            0, 21, 22, 23,
            0, 0, 0, 0}, out);
    }

    @Test
    void aFlipMirrorsAfterTheShift() {
        float[] out = new float[12];
        ShiftFlip.move(IMAGE, out, 0, 3, 4, new ShiftFlip.Draw(0, 0, true));
        assertArrayEquals(new float[]{
            4, 3, 2, 1,
            14, 13, 12, 11,
            24, 23, 22, 21}, out);
        // shifted right by 2 and down by 1 ([0 0 1 2], [0 0 11 12] below a zero row), then mirrored:
        // the zero columns end up on the right
        ShiftFlip.move(IMAGE, out, 0, 3, 4, new ShiftFlip.Draw(2, 1, true));
        assertArrayEquals(new float[]{
            0, 0, 0, 0,
            2, 1, 0, 0,
            12, 11, 0, 0}, out);
    }

    @Test
    void applyUsesEachImagesOwnDrawWhateverItsPlaceInTheBatch() {
        ShiftFlip sf = new ShiftFlip(2, 0.5, 77);
        int c = 2, h = 6, w = 5, plane = h * w;
        long[] images = {9, 3, 40000, 7};
        float[] x = new float[images.length * c * plane];
        for (int k = 0; k < x.length; k++) {
            x[k] = (k * 37 % 101) / 100f;
        }
        float[] batch = x.clone();
        sf.apply(4, images, batch, c, h, w);
        for (int s = 0; s < images.length; s++) {
            float[] one = new float[c * plane];
            System.arraycopy(x, s * c * plane, one, 0, one.length);
            sf.apply(4, new long[]{images[s]}, one, c, h, w);
            float[] inBatch = new float[c * plane];
            System.arraycopy(batch, s * c * plane, inBatch, 0, inBatch.length);
            assertArrayEquals(one, inBatch, "image " + images[s]);
            ShiftFlip.Draw d = sf.draw(4, images[s]);
            float[] expected = new float[plane], src = new float[plane];
            System.arraycopy(x, (s * c + 1) * plane, src, 0, plane);
            ShiftFlip.move(src, expected, 0, h, w, d);
            System.arraycopy(batch, (s * c + 1) * plane, src, 0, plane);
            assertArrayEquals(expected, src, "channel 1 moved like channel 0");
        }
    }

    @Test
    void drawsAreAPureFunctionOfSeedEpochAndImage() {
        ShiftFlip a = new ShiftFlip(3, 0.5, 11), b = new ShiftFlip(3, 0.5, 11);
        int sameEpoch = 0, sameSeed = 0;
        for (long i = 0; i < 200; i++) {
            assertEquals(a.draw(2, i), b.draw(2, i));
            sameEpoch += a.draw(2, i).equals(a.draw(3, i)) ? 1 : 0;
            sameSeed += a.draw(2, i).equals(new ShiftFlip(3, 0.5, 12).draw(2, i)) ? 1 : 0;
        }
        // 7 x 7 x 2 outcomes: two independent draws agree with probability 1/98
        assertTrue(sameEpoch < 12 && sameSeed < 12, sameEpoch + " " + sameSeed);
        assertNotEquals(a.draw(0, 0), a.draw(0, 1), "neighbouring images");
    }

    @Test
    void shiftsAreUniformOnEachAxisAndFlipsComeAtRateP() {
        int k = 2, n = 20_000;
        ShiftFlip sf = new ShiftFlip(k, 0.3, 2026);
        long[] dx = new long[2 * k + 1], dy = new long[2 * k + 1], joint = new long[(2 * k + 1) * (2 * k + 1)];
        int flips = 0;
        for (int i = 0; i < n; i++) {
            ShiftFlip.Draw d = sf.draw(1, i);
            assertTrue(Math.abs(d.dx()) <= k && Math.abs(d.dy()) <= k, d.toString());
            dx[d.dx() + k]++;
            dy[d.dy() + k]++;
            joint[(d.dy() + k) * (2 * k + 1) + d.dx() + k]++;
            flips += d.flipped() ? 1 : 0;
        }
        ChiSquareTest chi = new ChiSquareTest();
        assertTrue(chi.chiSquareTest(uniform(2 * k + 1), dx) > 1e-3, "dx uniform");
        assertTrue(chi.chiSquareTest(uniform(2 * k + 1), dy) > 1e-3, "dy uniform");
        assertTrue(chi.chiSquareTest(uniform(joint.length), joint) > 1e-3, "dx, dy independent");
        double sigma = Math.sqrt(n * 0.3 * 0.7);
        assertTrue(Math.abs(flips - 0.3 * n) < 4 * sigma, flips + " flips of " + n);
    }

    @Test
    void badParametersAreRefused() {
        assertEquals("pixels must be >= 0, found -1", assertThrows(IllegalArgumentException.class, () -> new ShiftFlip(-1, 0, 0)).getMessage());
        assertEquals("p must be in [0, 1], found 1.5", assertThrows(IllegalArgumentException.class, () -> new ShiftFlip(1, 1.5, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShiftFlip(1, 0.5, 0).apply(0, new long[]{0}, new float[5], 1, 2, 2));
    }

    private static double[] uniform(int m) {
        double[] e = new double[m];
        java.util.Arrays.fill(e, 1.0 / m);
        return e;
    }
}
