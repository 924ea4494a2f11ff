package org.diffeo4j.augment;

import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Jacobian;
import org.diffeo4j.field.PhaseDiagram;
import org.diffeo4j.field.Temperatures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the guarantee on, no returned field folds, even with T drawn up to 2 T_max. */
class GuaranteedDiffeoTest {
    private static final int N = 16;

    @Test
    void noReturnedFieldFoldsUpToTwiceTMax() {
        // T over [T_min, 2 T_max], c over 2..10 (the natural limit of 16 px)
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:t_max_scale=2,diffeomorphic=true"), 2026);
        AugmentBatch.Stats total = new AugmentBatch.Stats(0, 0, 0, 0);
        int beyond = 0;
        try (JavaBackend java = new JavaBackend(2)) {
            for (int b = 0; b < 10; b++) {
                try (AugmentBatch batch = aug.prepare(0, b * 1000L, 1000, N, N)) {
                    total = total.plus(batch.stats());
                    for (Applied a : batch.applied()) {
                        // independent of the batch's scaled coefficients: redraw from the record alone
                        CoefficientBatch z = CoefficientBatch.draw(a.cut(), a.seed(), a.address(), 1);
                        Jacobian.Check check = Jacobian.check(z, 0, a.temperature(), N, N);
                        assertTrue(check.isDiffeomorphism(), a + ": min det " + check.minDeterminant());
                        beyond += a.drawnTemperature() > Temperatures.tMax(a.cut()) ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(10_000, total.images());
        assertTrue(beyond > 3000, "about half the temperatures lie beyond T_max: " + beyond);
        // Beta(1/2, 1/2) piles T up at both ends: near 2 T_max most fields fold (docs/augment.md)
        assertTrue(total.fieldsRejected() > 0 && total.temperatureLowered() < total.images() / 10,
                "rejection rate " + total.rejectionRate() + ", T lowered for " + total.temperatureLowered());
    }

    /** At one (c, T) the reported rejection rate estimates 1 - P(diffeo) of the phase diagram. */
    @Test
    void rejectionRateMatchesThePhaseDiagram() {
        int cut = 6, images = 4000;
        double x = 0.75, t = Temperatures.tMin(cut, N) + x * (2 * Temperatures.tMax(cut) - Temperatures.tMin(cut, N));
        // s = 1e9 makes the Beta a point mass at x = r / (r + 1) (transform.py's docstring)
        AugmentSpec spec = AugmentSpec.parse("diffeo:s_T=1e9,r_T=3,c_min=6,c_max=6,t_max_scale=2,diffeomorphic=true");
        AugmentBatch.Stats stats;
        try (JavaBackend java = new JavaBackend(2); AugmentBatch batch = new DiffeoAugment(spec, 9).prepare(0, 0, images, N, N)) {
            stats = batch.stats();
            assertEquals(t, batch.applied().get(0).drawnTemperature(), 1e-4 * t);
        }
        PhaseDiagram.Result diagram = PhaseDiagram.compute(new PhaseDiagram.Spec(N, new int[]{cut}, new double[]{t}, images, 1), 2, k -> { });
        double fold = 1 - diagram.probability()[0][0], rate = stats.rejectionRate();
        double sigma = Math.sqrt(fold * (1 - fold) * (1.0 / stats.fieldsDrawn() + 1.0 / images));
        assertTrue(fold > 0.05 && fold < 0.95, "the chosen T should fold sometimes: " + fold);
        assertTrue(Math.abs(rate - fold) <= 4 * sigma, "rejection rate " + rate + " vs phase diagram " + fold + " (sigma " + sigma + ")");
    }
}
