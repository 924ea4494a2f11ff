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

    @Test
    void onATerminalItRedrawsOneLine() {
        StringWriter s = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(s), "phase", "fields", 10, true)) {
            p.set(10);
        }
        assertTrue(s.toString().startsWith("\rphase [") && s.toString().contains("10/10 fields"), s.toString());
    }
}
