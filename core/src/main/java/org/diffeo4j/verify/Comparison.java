package org.diffeo4j.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of comparing an array with its expected values (llm.c's validate_result): the largest
 * absolute error, and index, expected and found for the first 10 mismatches.
 */
public record Comparison(String what, int count, double maxAbsError, int worstIndex, int mismatches,
                         List<String> firstMismatches) {
    /** How many mismatches are described in {@link #firstMismatches}. */
    public static final int SHOWN = 10;

    public boolean passed() {
        return mismatches == 0;
    }

    /** Compares {@code found} with {@code expected} under {@code |f - e| <= atol + rtol |e|}. */
    public static Comparison of(String what, double[] expected, float[] found, double atol, double rtol) {
        double[] f = new double[found.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = found[k];
        }
        return of(what, expected, f, atol, rtol);
    }

    /** Compares {@code found} with {@code expected} under {@code |f - e| <= atol + rtol |e|}. */
    public static Comparison of(String what, double[] expected, double[] found, double atol, double rtol) {
        if (expected.length != found.length) {
            return new Comparison(what, expected.length, Double.POSITIVE_INFINITY, -1, Math.max(1, expected.length),
                    List.of("length: expected " + expected.length + ", found " + found.length));
        }
        double worst = 0;
        int worstIndex = -1, bad = 0;
        List<String> shown = new ArrayList<>();
        for (int k = 0; k < expected.length; k++) {
            double err = Math.abs(found[k] - expected[k]);
            if (!(err <= worst)) { // NaN counts as worst
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worstIndex = k;
            }
            if (!Tolerances.close(expected[k], found[k], atol, rtol)) {
                bad++;
                if (shown.size() < SHOWN) {
                    shown.add("[" + k + "] expected " + expected[k] + ", found " + found[k]);
                }
            }
        }
        return new Comparison(what, expected.length, worst, worstIndex, bad, List.copyOf(shown));
    }

    /** One scalar. */
    public static Comparison scalar(String what, double expected, double found, double atol, double rtol) {
        return of(what, new double[]{expected}, new double[]{found}, atol, rtol);
    }

    /** "what: max |err| 1.2e-07 ok" or with the mismatches. */
    public String describe() {
        String head = String.format("%s: max |err| %.3g over %d values", what, maxAbsError, count);
        return passed() ? head + " ok" : head + ", " + mismatches + " outside tolerance; first: " + String.join("; ", firstMismatches);
    }
}
