package org.diffeo4j.stripe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training in the feature regime, reproducibility, the fit and the resume log. */
class StripeTrainingTest {
    @TempDir
    Path dir;

    private static StripeSpec small(int[] sizes, int seeds) {
        return new StripeSpec(10, sizes, seeds, 32, 1.0, 2000, StripeLabel.balanced(), StripeSpec.DEFAULT_TRAINING);
    }

    @Test
    void trainingFitsEveryPointAndAlignsTheWeightsWithXPar() {
        StripeCells.Trained t = StripeCells.train(small(new int[]{512}, 1), 512, 0);
        HingeTraining.Outcome o = t.outcome();
        assertTrue(o.fitted(), "the hinge loss must reach zero: " + o);
        assertTrue(o.minMargin() >= 1, "stopping rule: every margin >= 1, found " + o.minMargin());
        for (int i = 0; i < 512; i++) {
            assertTrue(t.y()[i] * o.net().value(t.x(), i * 10) >= 1 - 1e-9, "margin of point " + i);
        }
        // isotropic weights have alignment 1/d = 0.1; learning the stripe turns them towards x_par
        assertTrue(o.net().net().alignment() > 0.6, "alignment " + o.net().net().alignment());
        assertTrue(o.net().initial().alignment() < 0.2, "initial alignment " + o.net().initial().alignment());
    }

    @Test
    void relativeStabilityFallsAndTestErrorFallsWithP() {
        StripeSpec s = small(new int[]{32, 512}, 1);
        StripeCell few = StripeCells.run(s, 32, 0), many = StripeCells.run(s, 512, 0);
        assertTrue(few.rInit() > 0.5 && few.rInit() < 2, "R_f at initialisation must be of order 1: " + few);
        assertTrue(many.r() < 0.5 * few.r(), "R_f must fall with P: " + few + " vs " + many);
        assertTrue(many.r() < 0.2, "a net that learnt the stripe is stable along x_perp: " + many);
        assertTrue(many.testError() < few.testError(), few + " vs " + many);
    }

    @Test
    void aSeededSweepIsReproducibleWhateverTheThreadCount() {
        StripeSpec s = small(new int[]{16, 64}, 3);
        List<StripeCell> one = StripeSweep.run(s, 1, StripeSweep.NONE, d -> { });
        List<StripeCell> three = StripeSweep.run(s, 3, StripeSweep.NONE, d -> { });
        assertEquals(6, one.size());
        for (int k = 0; k < one.size(); k++) {
            assertEquals(withoutTime(one.get(k)), withoutTime(three.get(k)), "cell " + k);
        }
        // different seeds are different draws
        assertFalse(one.get(0).r() == one.get(1).r());
    }

    @Test
    void theFitRecoversAPowerLawOverRBelowOne() {
        int[] p = {10, 100, 1000, 10000};
        double[] r = {1.3, 0.5, 0.05, 0.005};
        LogLogFit f = LogLogFit.of(p, r);
        assertEquals(3, f.points());
        assertEquals(100, f.pMin());
        assertEquals(10000, f.pMax());
        assertEquals(-1.0, f.slope(), 1e-12);
        assertEquals(0.0, f.slopeErr(), 1e-12);
        // a hand-computed case with scatter: ln r = -x + (+e, -2e, +e) at x = ln 10, ln 100, ln 1000
        double e = 0.1;
        LogLogFit g = LogLogFit.of(new int[]{10, 100, 1000}, new double[]{Math.exp(e) / 10, Math.exp(-2 * e) / 100, Math.exp(e) / 1000});
        // residuals are orthogonal to x (symmetric pattern), so the slope stays -1 and
        // se = sqrt(6 e^2 / 1 / (2 ln(10)^2)) = sqrt(3) e / ln 10
        assertEquals(-1.0, g.slope(), 1e-12);
        assertEquals(Math.sqrt(3) * e / Math.log(10), g.slopeErr(), 1e-12);
        assertTrue(Double.isNaN(LogLogFit.of(new int[]{10}, new double[]{0.5}).slope()));
    }

    @Test
    void theJournalResumesCellsOfTheSameKeyOnly() throws IOException {
        StripeSpec s = small(new int[]{16, 32}, 2);
        Path file = dir.resolve("stripe.jsonl");
        int[] found = new int[1];
        List<StripeCell> cells = StripeSweep.run(s, 2, counting(StripeSweep.journalled(StripeSweep.openJournal(file), s.cellKey()), found), d -> { });
        assertEquals(0, found[0]);
        Files.writeString(file, "{\"key\": \"" + s.cellKey() + "\", \"cell\": {\"trainSi", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(cells, StripeSweep.run(s, 2, counting(StripeSweep.journalled(StripeSweep.openJournal(file), s.cellKey()), found), d -> { }));
        assertEquals(4, found[0], "every cell taken from the journal, its torn last line dropped");
        StripeSpec other = new StripeSpec(10, new int[]{16, 32}, 2, 33, 1.0, 2000, StripeLabel.balanced(), StripeSpec.DEFAULT_TRAINING);
        StripeSweep.CellStore foreign = StripeSweep.journalled(StripeSweep.openJournal(file), other.cellKey());
        assertTrue(foreign.find(16, 0).isEmpty(), "a cell of another width must not be reused");
        List<StripeCell> more = StripeSweep.run(other, 1, StripeSweep.journalled(StripeSweep.openJournal(file), other.cellKey()), d -> { });
        assertEquals(8, StripeSweep.openJournal(file).size(), "the other key's cells appended after the first key's, the torn line gone");
        assertEquals(4, more.size());
    }

    /** {@code store}, counting its finds into {@code found[0]}. */
    private static StripeSweep.CellStore counting(StripeSweep.CellStore store, int[] found) {
        return new StripeSweep.CellStore() {
            @Override
            public java.util.Optional<StripeCell> find(int trainSize, int seed) {
                java.util.Optional<StripeCell> c = store.find(trainSize, seed);
                c.ifPresent(x -> found[0]++);
                return c;
            }

            @Override
            public void finished(StripeCell cell) {
                store.finished(cell);
            }
        };
    }

    @Test
    void badSpecsNameTheFieldAndTheValue() {
        HingeTraining.Spec t = StripeSpec.DEFAULT_TRAINING;
        StripeLabel l = StripeLabel.balanced();
        assertEquals("dim must be >= 2, found 1",
                assertThrows(IllegalArgumentException.class, () -> new StripeSpec(1, new int[]{8}, 1, 4, 1, 10, l, t)).getMessage());
        assertEquals("train-sizes must be >= 2 each (P, the training points), found 1",
                assertThrows(IllegalArgumentException.class, () -> new StripeSpec(5, new int[]{8, 1}, 1, 4, 1, 10, l, t)).getMessage());
        assertEquals("train-sizes must be a non-empty list, found none",
                assertThrows(IllegalArgumentException.class, () -> new StripeSpec(5, new int[0], 1, 4, 1, 10, l, t)).getMessage());
        assertEquals("width must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> new StripeSpec(5, new int[]{8}, 1, 0, 1, 10, l, t)).getMessage());
        assertEquals("noise-norm must be a finite number > 0, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> new StripeSpec(5, new int[]{8}, 1, 4, 0, 10, l, t)).getMessage());
    }

    private static StripeCell withoutTime(StripeCell c) {
        return new StripeCell(c.trainSize(), c.seed(), c.r(), c.rInit(), c.testError(), c.alignment(), c.epochs(), c.fitted(), 0);
    }
}
