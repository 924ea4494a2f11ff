package org.diffeo4j.attack;

import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Modes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeVectorsTest {
    @Test
    void gridsRoundTripAndOutsideTheDiscIsZero() {
        for (int cut : new int[]{1, 3, 8}) {
            ModeVectors m = new ModeVectors(cut);
            assertEquals(Modes.count(cut), m.modes());
            CoefficientBatch z = CoefficientBatch.draw(cut, 4, 0, 1);
            double[] v = m.fromGrid(z.zu(), z.zv(), 0);
            float[] zu = new float[cut * cut], zv = new float[cut * cut];
            m.toGrid(v, zu, zv, 0);
            assertArrayEquals(z.zu(), zu);
            assertArrayEquals(z.zv(), zv);
        }
    }

    /**
     * The energy sum (i^2 + j^2) C_ij^2 with C_ij = sqrt(T) z_ij / sqrt(i^2 + j^2) is T |z|^2; over draws
     * its mean is 2 M T, the budget.
     */
    @Test
    void theBudgetIsTheExpectedEnergyOfADraw() {
        int cut = 5, draws = 4000;
        double t = 0.003;
        ModeVectors m = new ModeVectors(cut);
        CoefficientBatch z = CoefficientBatch.draw(cut, 9, 0, draws);
        double mean = 0;
        for (int s = 0; s < draws; s++) {
            double direct = 0;
            for (int i = 1; i <= cut; i++) {
                for (int j = 1; j <= cut; j++) {
                    if (Modes.contains(cut, i, j)) {
                        int g = s * cut * cut + (i - 1) * cut + j - 1;
                        double cu = Math.sqrt(t) * z.zu()[g] / Math.sqrt(i * i + j * j), cv = Math.sqrt(t) * z.zv()[g] / Math.sqrt(i * i + j * j);
                        direct += (i * i + j * j) * (cu * cu + cv * cv);
                    }
                }
            }
            double e = m.energy(t, z.zu(), z.zv(), s * cut * cut);
            assertEquals(direct, e, 1e-12 * direct);
            mean += e / draws;
        }
        double budget = m.energyBudget(t), sd = budget * Math.sqrt(2.0 / m.dimension() / draws);
        assertEquals(2 * Modes.count(cut) * t, budget, 1e-15);
        assertTrue(Math.abs(mean - budget) < 4 * sd, "mean energy " + mean + " vs budget " + budget);
    }

    @Test
    void scaledFloatCoefficientsMeetTheBudgetTo1e7() {
        ModeVectors m = new ModeVectors(6);
        CoefficientBatch z = CoefficientBatch.draw(6, 2, 0, 50);
        float[] zu = new float[36], zv = new float[36];
        for (int s = 0; s < 50; s++) {
            double[] v = ModeVectors.scaleTo(m.fromGrid(z.zu(), z.zv(), s * 36), m.radiusSquared());
            m.toGrid(v, zu, zv, 0);
            double e = m.energy(0.01, zu, zv, 0), budget = m.energyBudget(0.01);
            assertTrue(Math.abs(e - budget) / budget < 1e-7, "relative error " + Math.abs(e - budget) / budget);
        }
    }
}
