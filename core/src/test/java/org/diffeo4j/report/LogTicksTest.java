package org.diffeo4j.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTicksTest {
    @Test
    void limitsHoldThreeTicksAndTheData() {
        double[][] ranges = {{7, 13}, {10, 13}, {1.1, 1.6}, {1e-4, 3e-2}, {0.25, 4}, {5, 5}, {19.9, 20.1}};
        for (double[] r : ranges) {
            double[] l = LogTicks.limits(r[0], r[1]);
            assertTrue(l[0] < r[0] && l[1] > r[1], "limits " + l[0] + ".." + l[1] + " must hold " + r[0] + ".." + r[1]);
            assertTrue(LogTicks.ticksInside(l[0], l[1]) >= 3, "ticks inside " + l[0] + ".." + l[1]);
        }
        // 7..13 (the delta sweep's R_f) already holds 7, 8, 9, 10: no widening beyond the padding
        double[] l = LogTicks.limits(7, 13);
        assertTrue(l[0] > 6 && l[1] < 20, l[0] + ".." + l[1]);
    }

    @Test
    void neighbouringTicks() {
        assertEquals(9, LogTicks.previousTick(10), 1e-12);
        assertEquals(0.9, LogTicks.previousTick(1.0), 1e-12);
        assertEquals(20, LogTicks.nextTick(13), 1e-12);
        assertEquals(100, LogTicks.nextTick(95), 1e-9);
        assertEquals(2e-4, LogTicks.nextTick(1e-4), 1e-18);
    }

    @Test
    void labelsThinWithTheSpace() {
        // a decade of 400 px labels every mantissa; 100 px: 1-2-3-5 (gap log10(5/3) = 0.22 -> 22 px)
        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, LogTicks.labels(400, 18).mantissas());
        assertArrayEquals(new int[]{1, 2, 3, 5}, LogTicks.labels(110, 18).mantissas());
        assertArrayEquals(new int[]{1, 2, 5}, LogTicks.labels(70, 18).mantissas());
        assertArrayEquals(new int[]{1}, LogTicks.labels(30, 18).mantissas());
        LogTicks.Labels sparse = LogTicks.labels(6, 18);
        assertEquals(3, sparse.decadeStep());
        assertEquals("", sparse.format(10));
        assertEquals("1000", sparse.format(1000));
        LogTicks.Labels mid = LogTicks.labels(110, 18);
        assertEquals("0.003", mid.format(0.003));
        assertEquals("", mid.format(0.004));
    }

    @Test
    void shortLabels() {
        assertEquals("7", LogTicks.label(7));
        assertEquals("0.002", LogTicks.label(0.002));
        assertEquals("2e-4", LogTicks.label(2e-4));
        assertEquals("1e5", LogTicks.label(1e5));
        assertEquals("7.07e-5", LogTicks.label(7.074e-5));
    }
}
