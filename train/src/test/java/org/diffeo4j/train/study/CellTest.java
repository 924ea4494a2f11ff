package org.diffeo4j.train.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cell's fit (how training went) goes through cells.jsonl and back; lines written before it still read, as converged. */
class CellTest {
    private static Cell cell(Cell.Fit fit) {
        return new Cell("mnist", "lenet", 1024, 2, 3, 1.0, 0.0015, 0.04, new Cell.DGR(0.1, 0.1, 1.0), new Cell.DGR(0.2, 0.5, 0.4), Map.of(),
                1000, 5, "runs/x", Cell.NONE, fit);
    }

    private static Cell roundTrip(Cell c) {
        return Cell.of(JsonParser.parseString(c.json().toString()).getAsJsonObject());
    }

    @Test
    void aConvergedFitRoundTripsWithoutWhy() {
        Cell c = cell(new Cell.Fit(0.0123, 0.004, 10, Cell.Fit.LAST, 10, true, null));
        JsonObject fit = c.json().getAsJsonObject("fit");
        assertEquals("{\"train_loss\":0.0123,\"train_error\":0.004,\"epochs_run\":10,\"selected\":\"last\",\"selected_epoch\":10,\"converged\":true}",
                fit.toString());
        assertEquals(c, roundTrip(c));
        assertTrue(c.converged());
    }

    @Test
    void aNonConvergedFitKeepsItsReasonAndADivergedLossIsNull() {
        Cell c = cell(new Cell.Fit(Double.NaN, 0.9, 4, Cell.Fit.BEST_VALIDATION, 2, false, "predicts one class on 93% of probes"));
        String line = c.json().toString();
        assertTrue(line.contains("\"train_loss\":null") && line.contains("\"why\":\"predicts one class on 93% of probes\""), line);
        assertFalse(line.contains("NaN"), line);
        Cell back = roundTrip(c);
        assertEquals(c, back);
        assertFalse(back.converged());
        assertEquals("best-validation", back.fit().selected());
        assertEquals(2, back.fit().selectedEpoch());
    }

    @Test
    void oldLinesAndMeasuredModelsHaveNoFitAndCountAsConverged() {
        Cell old = CellJournalTest.cell("fc", 64, 0, 2.0, 0.2);
        assertFalse(old.json().has("fit"));
        Cell back = roundTrip(old);
        assertNull(back.fit());
        assertTrue(back.converged());
        assertEquals(old, back);
        // a line as written before fits were recorded (and before augmentations)
        String line = "{\"key\":\"mnist|fc|64|0|3|d1.0\",\"dataset\":\"mnist\",\"arch\":\"fc\",\"train_size\":64,\"seed\":0,\"cut\":3,\"delta\":1.0,"
                + "\"temperature\":0.0015,\"test_error\":0.2,\"init\":{\"D\":0.1,\"G\":0.1,\"R\":1.0},\"trained\":{\"D\":0.2,\"G\":0.1,\"R\":2.0},"
                + "\"parameters\":1000,\"depth\":5,\"model\":\"runs/x\"}";
        Cell parsed = Cell.of(JsonParser.parseString(line).getAsJsonObject());
        assertNull(parsed.fit());
        assertEquals("mnist|fc|64|0|3|d1.0", parsed.key());
    }

    @Test
    void theFitIsCheckedWhenMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cell.Fit(0.1, 0.1, 3, "best", 3, true, null));
        assertEquals("fit selected must be last, best-validation or best-test, found best", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Cell.Fit(0.1, 0.1, 3, Cell.Fit.LAST, 3, false, null));
        assertEquals("fit why must say why a cell did not converge, found none", e.getMessage());
        assertNull(new Cell.Fit(0.1, 0.1, 3, Cell.Fit.LAST, 3, true, "ignored").why(), "why only when not converged");
    }

    /**
     * A count the runtime cannot give is left out of the line, never written as a made-up -1 or 0
     * (issue 21); lines written before, with "parameters": -1 and "depth": 0 for a measured model, read as unknown.
     */
    @Test
    void unknownParametersAndDepthAreLeftOut() {
        Cell pt = new Cell("mnist", "net-pt", 0, 0, 3, 1.0, 0.0015, 0.05, null, new Cell.DGR(0.1, 0.2, 0.5), Map.of(), 15398, -1, "m.pt");
        JsonObject o = pt.json();
        assertEquals(15398, o.get("parameters").getAsLong());
        assertFalse(o.has("depth"), o.toString());
        assertEquals(pt, roundTrip(pt));
        Cell none = new Cell("mnist", "net", 0, 0, 3, 1.0, 0.0015, 0.05, null, new Cell.DGR(0.1, 0.2, 0.5), Map.of(), -1, -1, "m");
        assertFalse(none.json().has("parameters") || none.json().has("depth"), none.json().toString());
        JsonObject old = none.json();
        old.addProperty("parameters", -1);
        old.addProperty("depth", 0);
        Cell back = Cell.of(old);
        assertEquals(-1, back.parameters());
        assertEquals(-1, back.depth());
    }
}
