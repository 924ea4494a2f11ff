package org.diffeo4j.stability;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.DenseMlp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-probe distances average back to D_f and G_f; margins agree in sign with correctness. */
class PerProbeTest {
    private static ImageBatch mnist(int n) {
        return Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, n);
    }

    private static final class Sink implements StabilityMeasurement.ProbeSink {
        Activations clean;
        final List<ProbeResult> got = new ArrayList<>();

        @Override
        public void clean(Activations output) {
            clean = output;
        }

        @Override
        public void realisation(ProbeResult probes) {
            got.add(probes);
        }
    }

    /**
     * The mean over probes of ||f(tau x_i) - f(x_i)||^2 / deno is D_f (sum over units and mean over
     * probes commute), for every cell and realisation, both noises; the probe values do not change
     * the cells.
     */
    @Test
    void meanOfProbesIsDfAndGf() {
        check(DenseMlp.randomLinear(1, 28, 28, 10, 4), Average.MEAN);
    }

    /** With the median, per-probe and per-unit medians agree when the output has one unit. */
    @Test
    void medianOfProbesIsDfForOneOutput() {
        check(DenseMlp.randomLinear(1, 28, 28, 1, 4), Average.MEDIAN);
    }

    private static void check(DenseMlp f, Average average) {
        ImageBatch x = mnist(41);
        for (NoiseKind noise : NoiseKind.values()) {
            StabilitySpec spec = new StabilitySpec(List.of(3, 5), List.of(0.5, 1.0), List.of(), Interpolation.BILINEAR, average, 2, 7,
                    List.of(), noise);
            Sink sink = new Sink();
            try (JavaBackend b = new JavaBackend(2)) {
                List<CellResult> with = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { }, StabilityMeasurement.CellStore.NONE, sink);
                List<CellResult> without = new StabilityMeasurement(f, b).run(x, spec, (d, t) -> { });
                assertEquals(8, sink.got.size());
                assertEquals(41, sink.clean.count());
                for (int c = 0; c < 4; c++) {
                    CellResult cell = with.get(c);
                    assertArrayEquals(without.get(c).output().d().values(), cell.output().d().values());
                    for (int r = 0; r < 2; r++) {
                        ProbeResult p = sink.got.get(2 * c + r);
                        assertEquals(cell.cut(), p.cut());
                        assertEquals(cell.temperature(), p.temperature());
                        assertEquals(r, p.realisation());
                        double d = cell.output().d().values()[r], g = cell.output().g().values()[r];
                        assertEquals(d, p.averageD(average), 1e-12 * d, noise + " cell " + c + " r " + r);
                        assertEquals(g, p.averageG(average), 1e-12 * g, noise + " cell " + c + " r " + r);
                    }
                }
            }
        }
    }

    @Test
    void marginSignIsCorrectness() {
        float[] logits = {
            3, 1, 0,    // label 0: right, margin 2
            0, 5, 4.5f, // label 2: wrong, margin -0.5
            1, 1, 2};   // label 1: wrong, margin -1
        Margins m = Margins.of(new Activations(3, 3, logits), new int[]{0, 2, 1});
        assertArrayEquals(new double[]{2, -0.5, -1}, m.margin(), 1e-12);
        assertArrayEquals(new int[]{0, 1, 2}, m.predicted());
        assertArrayEquals(new boolean[]{true, false, false}, m.correct());
        Margins free = Margins.of(new Activations(3, 3, logits), null);
        assertArrayEquals(new double[]{2, 0.5, 1}, free.margin(), 1e-12);
        assertNull(free.correct());
        assertEquals("top1 - top2", free.kind());
        assertThrows(IllegalArgumentException.class, () -> Margins.of(new Activations(3, 3, logits), new int[]{0, 3, 1}));
    }

    @Test
    void marginsOfARandomNetAgreeWithCorrectness() {
        // a random net misclassifies most digits: both signs occur
        ImageBatch x = mnist(200);
        int[] labels = Idx.readLabels(SharedFiles.root().resolve("data/mnist/t10k-labels-idx1-ubyte.gz"));
        Activations out = DenseMlp.randomLinear(1, 28, 28, 10, 3).forward(x, List.of()).get(org.diffeo4j.model.Model.OUTPUT);
        Margins m = Margins.of(out, java.util.Arrays.copyOf(labels, 200));
        int right = 0;
        for (int i = 0; i < 200; i++) {
            assertEquals(m.margin()[i] > 0, m.correct()[i], "probe " + i);
            assertEquals(m.correct()[i], m.predicted()[i] == labels[i], "probe " + i);
            right += m.correct()[i] ? 1 : 0;
        }
        assertTrue(right > 0 && right < 200, right + " right of 200");
    }
}
