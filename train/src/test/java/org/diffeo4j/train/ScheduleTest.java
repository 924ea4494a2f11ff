package org.diffeo4j.train;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {
    /** recipe/schedule-torch.txt: PyTorch 1.13's CosineAnnealingLR rates (tools/torch_schedule_reference.py). */
    @Test
    void cosineEqualsPyTorchEpochByEpoch() throws IOException {
        String text;
        try (InputStream in = ScheduleTest.class.getResourceAsStream("/recipe/schedule-torch.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int lines = 0;
        for (String line : text.strip().split("\n")) {
            String[] f = line.split(" ");
            int epochs = Integer.parseInt(f[0]);
            String[] expected = f[2].split(",");
            double[] found = new Schedule(Double.parseDouble(f[1])).rates(0.1, epochs);
            assertEquals(epochs, expected.length);
            for (int e = 0; e < epochs; e++) {
                double want = Double.parseDouble(expected[e]);
                assertTrue(Math.abs(found[e] - want) <= 1e-7 * 0.1, "epochs " + epochs + " epoch " + e + ": expected " + want + ", found " + found[e]);
            }
            lines++;
        }
        assertEquals(5, lines);
    }

    @Test
    void paperScheduleReachesZeroThenRises() {
        double[] r = Schedule.PAPER.rates(0.1, 250);
        assertEquals(0, r[200], 1e-12);
        assertTrue(r[249] > 0.13 * 0.1 && r[249] < 0.15 * 0.1, "rises again after T_max to ~0.14 lr, found " + r[249]);
    }

    @Test
    void constantAndParse() {
        for (double v : Schedule.parse("constant").rates(0.05, 4)) {
            assertEquals(0.05, v);
        }
        assertEquals(0.8, Schedule.parse("cosine").fraction());
        assertEquals(0.5, Schedule.parse("cosine:0.5").fraction());
        assertEquals("cosine:0.8", Schedule.PAPER.format());
        for (String bad : new String[]{"linear", "cosine:0", "cosine:-1", "cosine:x", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad));
            assertTrue(e.getMessage().startsWith("schedule must be"), e.getMessage());
        }
    }

    @Test
    void pythonModulo() {
        assertEquals(1.0, Schedule.pyMod(-3, 4));
        assertEquals(-1.0, Schedule.pyMod(3, -4));
        assertEquals(0.0, Schedule.pyMod(-16.0, 16.0));
    }
}
