package org.diffeo4j.train.study;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import org.diffeo4j.train.study.Bootstrap.Estimate;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's bootstrap intervals, trends and trust counts on synthetic cells with known laws. */
class StudySummaryTest {
    private static final Map<String, Integer> TEST = Map.of("mnist", 10000);

    /** A cell whose trained R is {@code r}; its D is 0.1 r and its G 0.1 (so D and G carry the same interval as R, scaled). */
    static Cell cell(String arch, int p, long seed, double delta, double r, double err, Cell.Fit fit) {
        Map<String, Cell.Layer> layers = new LinkedHashMap<>();
        layers.put("block1", new Cell.Layer(0.5, new Cell.DGR(0.1, 0.1, 1.0), new Cell.DGR(0.2 * r, 0.1, 2 * r)));
        return new Cell("mnist", arch, p, seed, 3, delta, 0.0015, err, new Cell.DGR(0.1, 0.1, 1.0 + 0.01 * seed), new Cell.DGR(0.1 * r, 0.1, r),
                layers, 1000, 5, "runs/x", Cell.NONE, fit);
    }

    private static final Cell.Fit OK = new Cell.Fit(0.01, 0.002, 10, Cell.Fit.LAST, 10, true, null);
    private static final Cell.Fit STUCK = new Cell.Fit(Double.NaN, 0.9, 10, Cell.Fit.LAST, 10, false, "predicts one class on 93% of probes");

    /** Cells with R = 5 P^slope e^(noise N(0,1)) for {@code seeds} seeds at P = 64 .. 4096. */
    private static List<Cell> powerLaw(double slope, double noise, int seeds, long rngSeed) {
        SplittableRandom rng = new SplittableRandom(rngSeed);
        List<Cell> cells = new ArrayList<>();
        for (int p = 64; p <= 4096; p *= 2) {
            for (int s = 0; s < seeds; s++) {
                cells.add(cell("lenet", p, s, 1.0, 5 * Math.pow(p, slope) * Math.exp(noise * BootstrapTest.gaussian(rng)), 0.1, null));
            }
        }
        return cells;
    }

    @Test
    void theSlopeIntervalHoldsTheTrueSlope() {
        StudySummary s = StudySummary.of(powerLaw(-0.4, 0.3, 6, 1), TEST);
        assertEquals(1, s.slopes().size());
        StudySummary.Slope sl = s.slopes().get(0);
        assertEquals(List.of(64, 128, 256, 512, 1024, 2048, 4096), sl.trainSizes());
        Estimate e = sl.slope();
        assertTrue(e.lo() < -0.4 && -0.4 < e.hi(), "the true slope -0.4 inside " + e);
        assertTrue(e.lo() < e.value() && e.value() < e.hi() && e.hi() - e.lo() < 0.2, "an interval as narrow as 6 seeds allow: " + e);
    }

    @Test
    void theSlopeIntervalCoversTheTrueSlopeAboutAsOftenAsItSaysAndIsAsWideAsTheNoise() {
        // 60 studies of 8 seeds: a percentile interval undercovers a little at small n, not by half
        int inside = 0, n = 60;
        double width = 0;
        for (int k = 0; k < n; k++) {
            Estimate e = StudySummary.of(powerLaw(-0.4, 0.5, 8, 100 + k), TEST).slopes().get(0).slope();
            inside += e.lo() <= -0.4 && -0.4 <= e.hi() ? 1 : 0;
            width += (e.hi() - e.lo()) / n;
        }
        assertTrue(inside >= 48 && inside < n, "coverage " + inside + " of " + n);
        // the slope's standard error: 0.5 / sqrt(8) per point over 7 points ln 2 apart, Sxx = 28 (ln 2)^2
        double se = 0.5 / Math.sqrt(8) / Math.sqrt(28 * Math.log(2) * Math.log(2));
        assertEquals(2 * 1.96 * se, width, 0.25 * 2 * 1.96 * se, "mean width");
    }

    @Test
    void theFitsExponentAndCorrelationCarryIntervalsThatHoldTheTrueLaw() {
        SplittableRandom rng = new SplittableRandom(3);
        List<Cell> cells = new ArrayList<>();
        String[] archs = {"fc", "lenet", "vgg", "resnet", "efficientnet"};
        double[] r = {8, 4, 1.5, 0.6, 0.3};
        for (int a = 0; a < archs.length; a++) {
            for (int s = 0; s < 5; s++) {
                double ra = r[a] * Math.exp(0.15 * BootstrapTest.gaussian(rng));
                cells.add(cell(archs[a], 1024, s, 1.0, ra, 0.02 * Math.pow(ra, 0.8) * Math.exp(0.15 * BootstrapTest.gaussian(rng)), null));
            }
        }
        StudySummary.Fit f = StudySummary.of(cells, TEST).fits().get(0);
        assertEquals(5, f.law().n());
        assertTrue(f.b().lo() < 0.8 && 0.8 < f.b().hi(), "b = 0.8 inside " + f.b());
        assertTrue(f.corr().hasInterval() && f.corr().lo() > 0.9 && f.corr().hi() <= 1, f.corr().toString());
        assertEquals(f.law().b(), f.b().value(), 1e-12);
        for (StudySummary.Point p : f.points()) {
            assertTrue(p.r().lo() <= p.r().value() && p.r().value() <= p.r().hi() && p.eps().hasInterval(), p.toString());
        }
    }

    @Test
    void withTwoNetworksTheCorrelationHasNoIntervalAndANote() {
        List<Cell> cells = List.of(cell("fc", 1024, 0, 1.0, 3, 0.1, null), cell("fc", 1024, 1, 1.0, 4, 0.12, null),
                cell("lenet", 1024, 0, 1.0, 1, 0.03, null), cell("lenet", 1024, 1, 1.0, 1.2, 0.04, null));
        StudySummary s = StudySummary.of(cells, TEST);
        StudySummary.Fit f = s.fits().get(0);
        assertEquals(1.0, f.corr().value(), 1e-12);
        assertFalse(f.corr().hasInterval());
        assertTrue(f.b().hasInterval());
        JsonObject fit = JsonParser.parseString(s.json("x", 4)).getAsJsonObject().getAsJsonObject("fit");
        assertEquals("two networks: +-1 by construction", fit.get("corr_note").getAsString());
        assertTrue(fit.get("corr_ci95").isJsonNull());
    }

    @Test
    void oneSeedGivesNoIntervalsNullInJsonAndEmptyInCsv() {
        List<Cell> cells = List.of(cell("fc", 64, 0, 1.0, 3, 0.2, null), cell("fc", 256, 0, 1.0, 2, 0.1, null), cell("lenet", 256, 0, 1.0, 1, 0.0, null));
        StudySummary s = StudySummary.of(cells, TEST);
        StudySummary.Entry e = s.entries().get(0);
        assertFalse(e.trained().r().hasInterval() || e.init().d().hasInterval() || e.error().hasInterval()
                || e.layers().get("block1").trained().r().hasInterval());
        assertFalse(s.slopes().get(0).slope().hasInterval());
        String json = s.json("x", 3);
        strict(json);
        JsonObject entry = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("entries").get(0).getAsJsonObject();
        for (String k : List.of("R_init_ci95", "R_trained_ci95", "D_trained_ci95", "G_init_ci95", "test_error_ci95")) {
            assertTrue(entry.get(k).isJsonNull(), k + " in " + entry);
        }
        String row = s.csv().split("\n")[1];
        assertTrue(row.endsWith(",0,,,,,,,,,,,,,,,"), "no interval: empty fields, found " + row);
    }

    @Test
    void theJsonIsStrictWithMeasuredModelsDivergedFitsAndZeroErrors() {
        List<Cell> cells = new ArrayList<>(powerLaw(-0.3, 0.2, 3, 9));
        // a measured model: no train size, no initialisation
        cells.add(new Cell("mnist", "onnx-net", 0, 0, 3, 1.0, 0.0015, 0.0, null, new Cell.DGR(0.1, 0.2, 0.5), Map.of(), 10, 3, "m.onnx"));
        cells.add(cell("fc", 64, 0, 1.0, 3, 0.0, STUCK));
        cells.add(cell("fc", 64, 1, 1.0, 4, 0.0, STUCK));
        String json = StudySummary.of(cells, TEST).json("x", cells.size());
        strict(json);
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(2000, o.getAsJsonObject("bootstrap").get("resamples").getAsInt());
    }

    /** Every number finite, read by a reader that refuses anything but strict JSON. */
    private static void strict(String json) {
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(com.google.gson.Strictness.STRICT);
            walk(JsonParser.parseReader(r));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void walk(JsonElement e) {
        if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(x -> walk(x.getValue()));
        } else if (e.isJsonArray()) {
            for (JsonElement x : (JsonArray) e) {
                walk(x);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            assertTrue(Double.isFinite(e.getAsDouble()), "a number that is not finite: " + e);
        }
    }

    @Test
    void cellsThatDidNotConvergeAreCountedAndKeptInTheMeans() {
        List<Cell> cells = List.of(cell("fc", 64, 0, 1.0, 2, 0.2, OK), cell("fc", 64, 1, 1.0, 8, 0.9, STUCK),
                cell("fc", 64, 0, 0.5, 2, 0.2, OK), cell("fc", 64, 1, 0.5, 8, 0.9, STUCK), cell("lenet", 64, 0, 1.0, 1, 0.1, null));
        StudySummary s = StudySummary.of(cells, TEST);
        StudySummary.Entry fc = s.entries().get(0);
        assertEquals(1, fc.nonConverged());
        assertEquals(4.0, fc.rTrained(), 1e-12, "the geometric mean of both seeds, the stuck one included");
        assertEquals(2, s.nonConverged());
        assertEquals("last", s.selected());
        JsonObject o = JsonParser.parseString(s.json("x", cells.size())).getAsJsonObject();
        assertEquals(2, o.get("non_converged").getAsInt());
        assertEquals(1, o.getAsJsonArray("entries").get(0).getAsJsonObject().get("non_converged").getAsInt());
        assertEquals(1, o.getAsJsonObject("fit").get("non_converged").getAsInt());
        assertNull(s.entries().get(2).selected(), "lenet's cell records no fit");
    }

    @Test
    void aCheckpointChosenOnTheTestSetIsNamed() {
        Cell.Fit best = new Cell.Fit(0.01, 0.0, 10, Cell.Fit.BEST_TEST, 7, true, null);
        List<Cell> cells = List.of(cell("fc", 64, 0, 1.0, 2, 0.2, OK), cell("fc", 64, 1, 1.0, 3, 0.2, best),
                cell("lenet", 64, 0, 1.0, 1, 0.1, new Cell.Fit(0.01, 0.0, 10, Cell.Fit.BEST_VALIDATION, 9, true, null)), cell("lenet", 64, 1, 1.0, 1, 0.1, OK));
        StudySummary s = StudySummary.of(cells, TEST);
        assertTrue(s.bestTest());
        assertEquals("best-test", s.entries().get(0).selected());
        assertEquals("best-validation, last", s.entries().get(1).selected());
        JsonObject o = JsonParser.parseString(s.json("x", 4)).getAsJsonObject();
        assertEquals("best-test", o.get("selected").getAsString());
    }

    @Test
    void entriesKeepTheirGeometricMeansAndTheLayersGetIntervals() {
        List<Cell> cells = List.of(cell("fc", 64, 0, 1.0, 2, 0.2, null), cell("fc", 64, 1, 1.0, 8, 0.3, null));
        StudySummary.Entry e = StudySummary.of(cells, TEST).entries().get(0);
        assertEquals(4.0, e.rTrained(), 1e-12);
        assertEquals(4.0, e.trained().r().value(), 1e-12);
        assertEquals(2.0, e.trained().r().lo(), 1e-12, "two seeds: the interval spans them");
        assertEquals(8.0, e.trained().r().hi(), 1e-12);
        assertEquals(0.25, e.testError(), 1e-12);
        assertEquals(0.2, e.error().lo(), 1e-12);
        assertEquals(0.3, e.error().hi(), 1e-12);
        StudySummary.Layer l = e.layers().get("block1");
        assertEquals(8.0, l.trained().r().value(), 1e-12);
        assertEquals(16.0, l.trained().r().hi(), 1e-12);
        assertEquals(1.0, l.init().r().lo(), 1e-12, "equal values: a point interval");
        assertEquals(1.0, l.init().r().hi(), 1e-12);
    }

    @Test
    void thePrintedLinesNameEachFitsConditionAndSayWhatToTrust() {
        List<Cell> cells = new ArrayList<>();
        for (double delta : new double[]{0.5, 1.0}) {
            cells.addAll(List.of(cell("fc", 1024, 0, delta, 3, 0.1, OK), cell("fc", 1024, 1, delta, 4, 0.12, STUCK),
                    cell("lenet", 1024, 0, delta, 1, 0.03, new Cell.Fit(0.01, 0.0, 10, Cell.Fit.BEST_TEST, 7, true, null)),
                    cell("lenet", 1024, 1, delta, 1.2, 0.04, OK)));
        }
        List<String> text = StudySummary.of(cells, TEST).text();
        List<String> fits = text.stream().filter(l -> l.startsWith("fit ")).toList();
        assertEquals(2, fits.size(), text.toString());
        assertTrue(fits.get(0).startsWith("fit mnist c=3 delta=0.5: eps_t = ") && fits.get(1).startsWith("fit mnist c=3 delta=1.0: "), fits.toString());
        assertTrue(fits.get(0).contains("corr +1 (two networks: +-1 by construction) over 2 networks (1 not converged)"), fits.get(0));
        assertTrue(text.contains("not converged: 2 of 8 cells (kept in every mean and fit, drawn hollow in the figures)"), text.toString());
        assertTrue(text.stream().anyMatch(l -> l.startsWith("checkpoint: best test accuracy")), text.toString());
        assertTrue(text.get(0).contains("R_trained 3.464 [3.000, 4.000]") && text.get(0).endsWith("(2 seeds, 1 not converged)"), text.get(0));
    }
}
