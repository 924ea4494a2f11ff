package org.diffeo4j.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bit equality for the twins that follow the Java reference's operation order (docs/precision.md):
 * {@link Float#floatToIntBits} (every NaN alike), never a tolerance.
 */
public final class ExactChecks {
    private ExactChecks() {
    }

    /** Fails with index, expected and found of the first 10 differences (llm.c's validate_result). */
    public static void assertSameBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        if (Arrays.equals(want, got)) {
            return;
        }
        List<String> shown = new ArrayList<>();
        int differ = 0;
        for (int k = 0; k < want.length; k++) {
            if (Float.floatToIntBits(want[k]) != Float.floatToIntBits(got[k])) {
                differ++;
                if (shown.size() < 10) {
                    shown.add("[" + k + "] expected " + want[k] + ", found " + got[k]);
                }
            }
        }
        throw new AssertionError(what + ": " + differ + " of " + want.length + " values differ in their bits; "
                + String.join("; ", shown));
    }
}
