package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.Tolerances;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every twin-backend harness (native, cuda) checks with: seeded images, temperatures, tie-aware comparisons. */
public final class TwinChecks {
    private TwinChecks() {
    }

    /**
     * Nearest-neighbour outputs may differ only at ties: where the reference's sample point lies
     * within 1e-4 px of a half-pixel, one float rounding of the field decides which neighbour wins,
     * and any two correct float32 implementations may disagree ("equal up to float rounding",
     * DESIGN.md section 3). Anywhere else a difference is a bug.
     */
    public static void assertOnlyTies(ImageBatch want, ImageBatch got, FieldBatch f, Comparison c) {
        int h = want.height(), w = want.width(), plane = h * w, size = want.sampleSize(), ties = 0;
        List<String> bad = new ArrayList<>();
        for (int k = 0; k < want.data().length; k++) {
            if (Tolerances.close(want.data()[k], got.data()[k], Tolerances.TWIN_ATOL, 0)) {
                continue;
            }
            int s = k / size, p = k % plane, y = p / w, x = p % w;
            float sx = Math.max(0, Math.min(w - 1, x - f.dx()[s * plane + p]));
            float sy = Math.max(0, Math.min(h - 1, y - f.dy()[s * plane + p]));
            if (nearHalf(sx) || nearHalf(sy)) {
                ties++;
            } else if (bad.size() < Comparison.SHOWN) {
                bad.add("[" + k + "] expected " + want.data()[k] + ", found " + got.data()[k] + " at (" + sx + ", " + sy + ")");
            }
        }
        assertTrue(bad.isEmpty(), () -> c.describe() + "; not at half-pixel ties: " + String.join("; ", bad));
        assertTrue(ties <= Math.max(3 * want.channels(), want.data().length / 10_000), c.describe() + ": too many ties, " + ties);
    }

    public static boolean nearHalf(float v) {
        return Math.abs(v - Math.floor(v) - 0.5) < 1e-4;
    }

    /** T giving a typical displacement of {@code delta} pixels (Eq. 3) on the larger side; cut 1 uses cut 2's. */
    public static double temperature(double delta, int cut, int h, int w) {
        return Temperatures.temperature(delta, Math.max(cut, 2), Math.max(2, Math.max(h, w)));
    }

    /** Seeded images in [0, 1) with some structure (a ramp plus noise), so interpolation errors show. */
    public static ImageBatch images(int count, int channels, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ImageBatch b = ImageBatch.zeros(count, channels, h, w);
        float[] d = b.data();
        for (int k = 0; k < d.length; k++) {
            int x = k % w, y = (k / w) % h;
            d[k] = (float) (0.5 * (x + y) / (h + w) + 0.5 * r.nextDouble());
        }
        return b;
    }

    public static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }

    public static void assertPasses(Comparison c) {
        assertTrue(c.passed(), c::describe);
    }
}
