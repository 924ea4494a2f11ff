package org.diffeo4j.stability;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.DenseMlp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StabilityMeasurementTest {
    private static ImageBatch mnist(int n) {
        return Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, n);
    }

    /** A random linear f treats a displacement and a noise of the same norm alike: R_f ~ 1. */
    @Test
    void randomLinearModelHasRfNearOne() {
        ImageBatch x = mnist(200);
        DenseMlp f = DenseMlp.randomLinear(1, 28, 28, 50, 3);
        StabilitySpec spec = new StabilitySpec(List.of(3, 5), List.of(1.0), List.of(), Interpolation.BILINEAR,
                Average.MEDIAN, 3, 1, List.of());
        try (JavaBackend b = new JavaBackend(2)) {
            List<CellResult> cells = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { });
            assertEquals(2, cells.size());
            for (CellResult c : cells) {
                double r = c.output().r().logmean();
                assertTrue(Math.abs(Math.log(r)) < 0.15, "cut " + c.cut() + ": R_f = " + r);
                assertEquals(3, c.output().r().values().length);
            }
        }
    }

    @Test
    void realisationsDifferAndRunsRepeat() {
        ImageBatch x = mnist(40);
        DenseMlp f = DenseMlp.randomLinear(1, 28, 28, 10, 4);
        StabilitySpec spec = new StabilitySpec(List.of(3), List.of(), List.of(1e-3), Interpolation.GAUSSIAN,
                Average.MEAN, 2, 9, List.of());
        try (JavaBackend b = new JavaBackend(2)) {
            CellResult one = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { }).get(0);
            CellResult two = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { }).get(0);
            assertNotEquals(one.output().d().values()[0], one.output().d().values()[1]);
            assertEquals(one.output().r().logmean(), two.output().r().logmean());
            assertTrue(Double.isNaN(one.delta()));
        }
    }

    @Test
    void layerWiseValuesForNamedLayers() {
        ImageBatch x = mnist(30);
        DenseMlp lin = DenseMlp.randomLinear(1, 28, 28, 16, 5);
        DenseMlp f = new DenseMlp(new int[]{1, 28, 28}, List.of(
                new DenseMlp.Dense("hidden", 784, 16, DenseMlpWeights.of(lin), new float[16], DenseMlp.Act.TANH),
                new DenseMlp.Dense("out", 16, 3, new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0},
                        new float[0], DenseMlp.Act.IDENTITY)));
        StabilitySpec spec = new StabilitySpec(List.of(4), List.of(1.0), List.of(), Interpolation.BILINEAR,
                Average.MEDIAN, 1, 2, List.of("hidden"));
        try (JavaBackend b = new JavaBackend(1)) {
            CellResult c = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { }).get(0);
            assertTrue(c.layers().containsKey("hidden"));
            assertTrue(c.layers().get("hidden").r().logmean() > 0);
            StabilitySpec bad = new StabilitySpec(List.of(4), List.of(1.0), List.of(), Interpolation.BILINEAR,
                    Average.MEDIAN, 1, 2, List.of("nope"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StabilityMeasurement(f, b).run(x, bad, (d, t) -> { }));
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
        }
    }

    @Test
    void cutOneWithDeltaIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StabilitySpec(List.of(1),
                List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 1, 0, List.of()));
        assertEquals("cut must be >= 2 for a temperature from delta (ln 1 = 0), found 1", e.getMessage());
    }

    /** Access to the linear model's weights for building a hidden layer from them. */
    static final class DenseMlpWeights {
        static float[] of(DenseMlp m) {
            ImageBatch eye = ImageBatch.zeros(784, 1, 28, 28);
            for (int p = 0; p < 784; p++) {
                eye.data()[p * 784 + p] = 1;
            }
            float[] out = m.forward(eye).data(); // [784][16] = W^T
            float[] w = new float[16 * 784];
            for (int p = 0; p < 784; p++) {
                for (int k = 0; k < 16; k++) {
                    w[k * 784 + p] = out[p * 16 + k];
                }
            }
            return w;
        }
    }
}
