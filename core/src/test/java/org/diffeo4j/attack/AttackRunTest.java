package org.diffeo4j.attack;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.DenseMlp;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackRunTest {
    static ImageBatch x;
    static int[] labels, index;

    @BeforeAll
    static void data() {
        x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 40);
        labels = new int[40];
        index = new int[40];
        for (int i = 0; i < 40; i++) {
            index[i] = i;
            labels[i] = i % 10;
        }
    }

    static AttackSpec spec(AttackMethod method, Target target, int restarts, int steps) {
        return new AttackSpec(List.of(3), List.of(1.0), List.of(), target, method, restarts, steps, 7, Average.MEDIAN);
    }

    static AttackCell attack(org.diffeo4j.model.Model m, AttackSpec spec) {
        try (AttackRun run = new AttackRun(m, 2)) {
            return run.run(x, labels, index, spec, (d, t) -> { }, AttackRun.CellStore.NONE).get(0);
        }
    }

    /** The typical columns are the measurement's: same draws, same noise, same statistic (Java backend). */
    @Test
    void typicalColumnsAreTheMeasurement() {
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 3);
        AttackCell cell = attack(net, spec(AttackMethod.DERIVATIVE_FREE, Target.DISTANCE, 2, 2));
        StabilitySpec s = new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 2, 7, List.of());
        try (JavaBackend b = new JavaBackend(2)) {
            CellResult m = new StabilityMeasurement(net, b).run(x, s, (d, t) -> { }).get(0);
            assertArrayEquals(m.output().d().values(), cell.typical().d().values());
            assertArrayEquals(m.output().g().values(), cell.typical().g().values());
            assertEquals(m.output().deno(), cell.deno());
        }
    }

    /**
     * Gradient and finite differences find the same worst cases on a smooth net, well above the typical
     * D_f; every written tau meets the energy constraint; the ascent's value is each probe's objective.
     */
    @Test
    void gradientAndDerivativeFreeAgree() {
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 3);
        AttackCell g = attack(net, spec(AttackMethod.GRADIENT, Target.DISTANCE, 2, 12));
        AttackCell f = attack(net, spec(AttackMethod.DERIVATIVE_FREE, Target.DISTANCE, 2, 12));
        assertEquals(g.dWorst(), f.dWorst(), 0.05 * g.dWorst(), "D_f* gradient " + g.dWorst() + " vs derivative-free " + f.dWorst());
        assertTrue(g.gain() > 2, "D_f* / D_f = " + g.gain());
        for (AttackCell c : List.of(g, f)) {
            assertTrue(c.energyError() < 1e-6, "energy error " + c.energyError());
            assertTrue(c.gWorst() >= c.typical().g().values()[0] * 0.999, "worst noise " + c.gWorst() + " vs typical " + c.typical().g().values()[0]);
            for (ProbeOutcome o : c.probes()) {
                assertEquals(o.distances()[2], o.objective(), 1e-9 * Math.max(1, o.objective()));
                assertTrue(Math.abs(o.energy() - c.energyBudget()) / c.energyBudget() < 1e-6);
            }
        }
    }

    /** The chained gradient of the oracle (net's VJP, remap, synthesis) against central differences of its values. */
    @Test
    void oracleGradientEqualsFiniteDifferences() {
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 3);
        Activations clean = net.forward(x);
        ModeVectors modes = new ModeVectors(3);
        double t = org.diffeo4j.field.Temperatures.temperature(1.0, 3, 28);
        try (org.diffeo4j.backend.Parallel par = new org.diffeo4j.backend.Parallel(2)) {
            for (Target target : Target.values()) {
                DiffeoOracle o = new DiffeoOracle(net, net, x, clean, labels, target, modes, t, new int[]{0, 1, 2, 3}, par, new AttackCounters());
                double[][] z = new double[4][modes.dimension()];
                for (int w = 0; w < 4; w++) {
                    org.diffeo4j.random.Normals.fill(21, w, 0, 0, z[w], 0, z[w].length);
                }
                double[] v = new double[4];
                double[][] g = new double[4][modes.dimension()];
                o.evaluate(new int[]{0, 1, 2, 3}, z, v, new float[4][], g);
                for (int w = 0; w < 4; w++) {
                    double scale = 0;
                    for (double d : g[w]) {
                        scale = Math.max(scale, Math.abs(d));
                    }
                    for (int k = 0; k < modes.dimension(); k++) {
                        double h = 1e-3;
                        double[][] pm = {z[w].clone(), z[w].clone()};
                        pm[0][k] += h;
                        pm[1][k] -= h;
                        double[] fv = new double[2];
                        o.evaluate(new int[]{w, w}, pm, fv, new float[2][], null);
                        double fd = (fv[0] - fv[1]) / (2 * h);
                        assertEquals(fd, g[w][k], 1e-2 * scale, target + " walker " + w + " coefficient " + k);
                    }
                }
            }
        }
    }

    @Test
    void marginTargetLowersTheMarginAndFlipsMoreThanTypical() {
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 3);
        AttackCell c = attack(net, spec(AttackMethod.GRADIENT, Target.MARGIN, 2, 10));
        assertTrue(c.flipWorst() >= c.flipTypical(), c.flipWorst() + " vs " + c.flipTypical());
        for (ProbeOutcome o : c.probes()) {
            assertEquals(o.objective() > 0 ? 1 : 0, o.objective() > 0 && o.predicted()[2] != o.label() ? 1 : 0, "a positive objective means the label lost");
        }
    }

    @Test
    void sameSeedSameResultAndGradientsAreRefusedWithoutAutograd() {
        TanhNet net = new TanhNet(1, 28, 28, 8, 10, 4);
        AttackCell a = attack(net, spec(AttackMethod.GRADIENT, Target.DISTANCE, 1, 3));
        AttackCell b = attack(net, spec(AttackMethod.GRADIENT, Target.DISTANCE, 1, 3));
        assertEquals(a.dWorst(), b.dWorst());
        assertArrayEquals(a.probes().get(5).zu(), b.probes().get(5).zu());
        DenseMlp lin = DenseMlp.randomLinear(1, 28, 28, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> attack(lin, spec(AttackMethod.GRADIENT, Target.DISTANCE, 1, 3)));
        assertTrue(e.getMessage().startsWith("method gradient needs a model with gradients, found dense MLP"), e.getMessage());
    }

    /**
     * The folded fraction of the worst fields is Appendix B's check recounted from each probe's written coefficients;
     * the climb keeps the energy, not the map's invertibility: a weak one leaves every field a diffeomorphism, a strong
     * one folds some (the check can fail both ways).
     */
    @Test
    void foldedFractionIsTheJacobianCheckOfTheWrittenFields() {
        TanhNet net = new TanhNet(1, 28, 28, 16, 10, 3);
        List<AttackCell> cells;
        try (AttackRun run = new AttackRun(net, 2)) {
            cells = run.run(x, labels, index, new AttackSpec(List.of(3), List.of(0.25, 4.0), List.of(), Target.DISTANCE, AttackMethod.GRADIENT,
                    1, 8, 7, Average.MEDIAN), (d, t) -> { }, AttackRun.CellStore.NONE);
        }
        for (AttackCell c : cells) {
            int folded = 0;
            double min = Double.POSITIVE_INFINITY;
            for (ProbeOutcome o : c.probes()) {
                org.diffeo4j.field.Jacobian.Check check = org.diffeo4j.field.Jacobian.check(
                        new org.diffeo4j.field.CoefficientBatch(3, 1, o.zu(), o.zv()), 0, c.temperature(), 28, 28);
                folded += check.isDiffeomorphism() ? 0 : 1;
                min = Math.min(min, check.minDeterminant());
            }
            assertEquals(folded / (double) c.probes().size(), c.foldedWorst(), "delta " + c.delta());
            assertEquals(min, c.minDeterminantWorst(), "delta " + c.delta());
        }
        assertEquals(0.0, cells.get(0).foldedWorst(), "delta 0.25: min det " + cells.get(0).minDeterminantWorst());
        assertTrue(cells.get(1).foldedWorst() > 0, "delta 4: min det " + cells.get(1).minDeterminantWorst());
    }
}
