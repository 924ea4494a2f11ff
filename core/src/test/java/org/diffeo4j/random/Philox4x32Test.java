package org.diffeo4j.random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Philox4x32Test {
    /** Random123's kat_vectors for philox4x32, 10 rounds: counter, key, expected output. */
    @Test
    void publishedKnownAnswers() {
        check(new int[]{0, 0, 0, 0}, new int[]{0, 0}, new int[]{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
        check(new int[]{-1, -1, -1, -1}, new int[]{-1, -1}, new int[]{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
        check(new int[]{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[]{0xa4093822, 0x299f31d0},
                new int[]{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
    }

    private static void check(int[] ctr, int[] key, int[] expected) {
        int[] out = new int[4];
        Philox4x32.block(ctr, key, out);
        assertArrayEquals(expected, out, () -> String.format("got %08x %08x %08x %08x", out[0], out[1], out[2], out[3]));
    }

    @Test
    void normalsHaveUnitMomentsAndAreAddressed() {
        int n = 200_000;
        double[] z = new double[n];
        Normals.fill(42, 7, Normals.STREAM_U, 0, z, 0, n);
        double mean = 0, var = 0;
        for (double v : z) {
            mean += v;
        }
        mean /= n;
        for (double v : z) {
            var += (v - mean) * (v - mean);
        }
        var /= n;
        assertEquals(0, mean, 5 * Math.sqrt(1.0 / n));
        assertEquals(1, var, 5 * Math.sqrt(2.0 / n));
        // Addressing: an element read alone equals the same element read in a run.
        for (int e : new int[]{0, 1, 3, 4, 5, 1023, 199_999}) {
            assertEquals(z[e], Normals.at(42, 7, Normals.STREAM_U, e));
        }
        assertTrue(Normals.at(42, 7, Normals.STREAM_V, 0) != z[0], "streams differ");
        assertTrue(Normals.at(42, 8, Normals.STREAM_U, 0) != z[0], "samples differ");
        assertTrue(Normals.at(43, 7, Normals.STREAM_U, 0) != z[0], "seeds differ");
    }

    @Test
    void fillNeededMatchesFillWhereNeeded() {
        int count = 31;
        boolean[] need = new boolean[16];
        for (int k = 0; k < need.length; k++) {
            need[k] = k % 3 != 1;
        }
        double[] all = new double[count], some = new double[count];
        Normals.fill(9, 4, Normals.STREAM_V, 0, all, 0, count);
        Normals.fillNeeded(9, 4, Normals.STREAM_V, some, count, need);
        for (int e = 0; e < count; e++) {
            assertEquals(need[e / 2] ? all[e] : 0.0, some[e], "element " + e);
        }
    }
}
