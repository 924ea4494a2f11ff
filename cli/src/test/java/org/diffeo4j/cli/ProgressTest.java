package org.diffeo4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    /** Item 6: off a terminal, 10,000 quick updates make one line, not one per update, and no carriage return. */
    @Test
    void offATerminalItPrintsPeriodicLines() {
        StringWriter s = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(s), "measure", "realisations", 10_000, false)) {
            for (int k = 1; k <= 10_000; k++) {
                p.set(k);
            }
        }
        assertEquals(1, s.toString().lines().count(), s.toString());
        assertFalse(s.toString().contains("\r"));
        assertTrue(s.toString().startsWith("measure: 10000/10000 realisations (100%)"), s.toString());
    }

    /** A slow unit (stripe's cells take tens of seconds) shows seconds each, not "0.0/s" (issue 21). */
    @Test
    void aSlowRateIsSecondsEach() {
        assertEquals("25.0 s each", Progress.rate(0.04));
        assertEquals("2.0 s each", Progress.rate(0.5));
        assertEquals("1.0/s", Progress.rate(1));
        assertEquals("4.4/s", Progress.rate(4.4));
        assertEquals("?/s", Progress.rate(0));
    }

    @Test
    void onATerminalItRedrawsOneLine() {
        StringWriter s = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(s), "phase", "fields", 10, true)) {
            p.set(10);
        }
        assertTrue(s.toString().startsWith("\rphase [") && s.toString().contains("10/10 fields"), s.toString());
    }

    /** Item 6: phase counts the fields it draws (cuts x samples x temperatures), not (cut, sample) pairs. */
    @Test
    void phaseCountsFields(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliTest.Run r = CliTest.run("phase", "--size", "8", "--cuts", "2,3", "--temperatures", "1e-3,1e-2,1e-1", "--samples", "5",
                "--out", dir.resolve("p").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("phase: 30/30 fields (100%)"), r.err());
    }

    /** Item 6: log-spaced lists hit their decades exactly (no 9.999999999999997E-6 in files and tables). */
    @Test
    void logRangesAreRoundNumbers() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{1e-5, 1e-4, 1e-3, 1e-2, 1e-1}, Lists.doubles("--x", "1e-5:1e-1:5"));
    }
}
