package org.diffeo4j.random;

/**
 * Standard normal draws addressed by (seed, sample, stream, element).
 *
 * <p>Layout (docs/randomness.md): element {@code e} lives in Philox block {@code e / 4}, lane
 * {@code e % 4}; the counter is {@code (e / 4, stream, sample low word, sample high word)}, the key
 * is {@code (seed low word, seed high word)}. The four 32-bit outputs become uniforms
 * {@code u = (w + 1/2) / 2^32} in (0, 1) and then two Box–Muller pairs:
 * {@code (r cos 2 pi u1, r sin 2 pi u1)} with {@code r = sqrt(-2 ln u0)}, and the same for (u2, u3).
 * Everything is computed in double so C++ and CUDA reproduce it to the last few ulps.
 */
public final class Normals {
    /** Stream of the coefficients of tau_u (horizontal displacement). */
    public static final int STREAM_U = 0;
    /** Stream of the coefficients of tau_v (vertical displacement). */
    public static final int STREAM_V = 1;
    /** Stream of the isotropic noise used for G_f. */
    public static final int STREAM_NOISE = 2;

    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double INV_2_32 = 1.0 / 4294967296.0;

    private Normals() {
    }

    /** Maps a 32-bit word to a uniform in the open interval (0, 1). */
    public static double uniform(int word) {
        return ((word & 0xFFFFFFFFL) + 0.5) * INV_2_32;
    }

    /**
     * Writes the normals of elements {@code [first, first + count)} of one (seed, sample, stream)
     * into {@code out[offset ..]}.
     *
     * @param out destination; modified in {@code [offset, offset + count)} only
     */
    public static void fill(long seed, long sample, int stream, int first, double[] out, int offset, int count) {
        int[] words = new int[4];
        double[] block = new double[4];
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int s0 = (int) sample, s1 = (int) (sample >>> 32);
        int lastBlock = -1;
        for (int n = 0; n < count; n++) {
            int e = first + n;
            int b = e >>> 2;
            if (b != lastBlock) {
                Philox4x32.block(b, stream, s0, s1, k0, k1, words);
                boxMuller(words, block);
                lastBlock = b;
            }
            out[offset + n] = block[e & 3];
        }
    }

    /**
     * Like {@link #fill} from element 0, but computes a Box–Muller pair only when
     * {@code needPair[e / 2]} is true for its elements e, e+1; the others are left untouched. Values
     * that are computed are identical to {@link #fill}'s: this only saves work.
     */
    public static void fillNeeded(long seed, long sample, int stream, double[] out, int count, boolean[] needPair) {
        int[] words = new int[4];
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int s0 = (int) sample, s1 = (int) (sample >>> 32);
        for (int b = 0; 4 * b < count; b++) {
            int e = 4 * b;
            boolean first = needPair[e >>> 1], second = e + 2 < count && needPair[(e >>> 1) + 1];
            if (!first && !second) {
                continue;
            }
            Philox4x32.block(b, stream, s0, s1, k0, k1, words);
            for (int pair = 0; pair < 2; pair++) {
                int at = e + 2 * pair;
                if (at >= count || !(pair == 0 ? first : second)) {
                    continue;
                }
                double r = Math.sqrt(-2.0 * Math.log(uniform(words[2 * pair])));
                double angle = TWO_PI * uniform(words[2 * pair + 1]);
                out[at] = r * Math.cos(angle);
                if (at + 1 < count) {
                    out[at + 1] = r * Math.sin(angle);
                }
            }
        }
    }

    /** The single normal at one address; slow, for tests and documentation. */
    public static double at(long seed, long sample, int stream, int element) {
        double[] one = new double[1];
        fill(seed, sample, stream, element, one, 0, 1);
        return one[0];
    }

    /** Box–Muller on one Philox block: four words to four normals. */
    static void boxMuller(int[] words, double[] out) {
        for (int pair = 0; pair < 2; pair++) {
            double r = Math.sqrt(-2.0 * Math.log(uniform(words[2 * pair])));
            double angle = TWO_PI * uniform(words[2 * pair + 1]);
            out[2 * pair] = r * Math.cos(angle);
            out[2 * pair + 1] = r * Math.sin(angle);
        }
    }
}
