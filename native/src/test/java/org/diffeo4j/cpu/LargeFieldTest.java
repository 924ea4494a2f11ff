package org.diffeo4j.cpu;

import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Modes;
import org.diffeo4j.verify.Tolerances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fields of tens of pixels (rms above the float limit) take the double path on both backends:
 * within half the reference tolerance of a float64 sum, and within the twin tolerance of Java.
 * In float32 alone they drifted to 1.4e-5 (n = 64, c = 30, T = 0.1).
 */
class LargeFieldTest {
    @ParameterizedTest
    @CsvSource({"64,30,0.1", "33,20,1.0", "48,12,0.02"})
    void largeFieldsStayWithinTheReferenceTolerance(int n, int cut, double t) {
        CoefficientBatch z = CoefficientBatch.draw(cut, 5, 0, 2);
        FieldBatch nat, ref;
        try (NativeBackend b = NativeLibrary.open(2, 0); JavaBackend j = new JavaBackend(2)) {
            nat = b.synthesize(z, t, n, n);
            ref = j.synthesize(z, t, n, n);
        }
        double worstExact = 0, worstTwin = 0;
        for (int s = 0; s < 2; s++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double u = 0;
                    for (int i = 1; i <= cut; i++) {
                        for (int jj = 1; jj <= cut; jj++) {
                            if (Modes.contains(cut, i, jj)) {
                                u += z.zu()[s * cut * cut + (i - 1) * cut + jj - 1] / Math.sqrt(i * i + jj * jj)
                                        * Math.sin(Math.PI * i * x / (n - 1)) * Math.sin(Math.PI * jj * y / (n - 1));
                            }
                        }
                    }
                    int p = s * n * n + y * n + x;
                    worstExact = Math.max(worstExact, Math.abs(n * Math.sqrt(t) * u - nat.dx()[p]));
                    worstTwin = Math.max(worstTwin, Math.abs(ref.dx()[p] - nat.dx()[p]) + Math.abs(ref.dy()[p] - nat.dy()[p]));
                }
            }
        }
        assertTrue(worstExact < Tolerances.FIELD_ATOL / 2, "native vs float64: " + worstExact);
        assertTrue(worstTwin < Tolerances.TWIN_ATOL, "native vs java: " + worstTwin);
    }
}
