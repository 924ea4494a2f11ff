package org.diffeo4j.random;

/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11), bit-compatible with Random123's {@code philox4x32_R(10,...)}.
 *
 * <p>Stateless: the output is a pure function of a 128-bit counter and a 64-bit key.
 */
public final class Philox4x32 {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    /** Number of rounds; 10 is the variant whose known-answer vectors Random123 publishes. */
    public static final int ROUNDS = 10;

    private Philox4x32() {
    }

    /**
     * Encrypts one counter block.
     *
     * @param counter four 32-bit words; not modified
     * @param key two 32-bit words; not modified
     * @param out receives four 32-bit words; modified
     */
    public static void block(int[] counter, int[] key, int[] out) {
        block(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out);
    }

    /** Encrypts the counter (c0, c1, c2, c3) under key (k0, k1) into {@code out[0..3]}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < ROUNDS; round++) {
            long p0 = M0 * (c0 & 0xFFFFFFFFL);
            long p1 = M1 * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0; // the key bump between rounds (Weyl sequence)
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
