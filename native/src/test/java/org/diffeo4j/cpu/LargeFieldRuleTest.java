package org.diffeo4j.cpu;

import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The large-field rule is written once in Java ({@link FieldSynthesis#FLOAT_LIMIT_PIXELS},
 * {@link FieldSynthesis#rmsSize}, {@link FieldSynthesis#isLarge}) and once for C++ and CUDA
 * ({@code DIFFEO_FLOAT_LIMIT_PIXELS}, {@code field_energy}, {@code field_rms}, {@code large_field}
 * in diffeo_math.cuh); read through the native library, the two must be the same numbers and the
 * same decisions, right at the threshold too.
 */
class LargeFieldRuleTest {
    @Test
    void theHeaderLimitIsTheJavaLimit() {
        NativeLibrary.assumeLoaded();
        assertEquals(FieldSynthesis.FLOAT_LIMIT_PIXELS, DiffeoNative.diffeo_float_limit_pixels());
    }

    @Test
    void rmsAndDecisionAgreeToTheBitOnBothSidesOfTheLimit() {
        NativeLibrary.assumeLoaded();
        int checked = 0;
        for (int cut : new int[]{1, 2, 3, 15, 30}) {
            CoefficientBatch z = CoefficientBatch.draw(cut, 77, 0, 20);
            for (int k = 0; k < z.count(); k++) {
                float[] one = Arrays.copyOfRange(z.zu(), k * cut * cut, (k + 1) * cut * cut);
                double unit = FieldSynthesis.rmsSize(cut, one, 0, 1.0);
                if (unit == 0) {
                    continue;
                }
                // scales that put the rms a few ulps below, at and above the limit, and far either side
                double atLimit = FieldSynthesis.FLOAT_LIMIT_PIXELS / unit;
                for (double scale : new double[]{atLimit * 0.5, Math.nextDown(Math.nextDown(atLimit)), atLimit,
                        Math.nextUp(Math.nextUp(atLimit)), atLimit * 2, -atLimit * 2}) {
                    double rms = FieldSynthesis.rmsSize(cut, one, 0, scale);
                    assertEquals(Double.doubleToLongBits(rms), Double.doubleToLongBits(DiffeoNative.diffeo_field_rms(one, cut, scale)),
                            () -> "rms of cut " + cut + " at scale " + scale);
                    assertEquals(FieldSynthesis.isLarge(cut, one, 0, scale) ? 1 : 0, DiffeoNative.diffeo_large_field(one, cut, scale),
                            () -> "decision for cut " + cut + " at scale " + scale + " (rms " + rms + ")");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 500, "too few grids checked: " + checked);
    }
}
