package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.random.Philox4x32;

/** Chooses the probe images of a measurement: the first N, or N drawn without replacement from a seed. */
public final class Probes {
    private Probes() {
    }

    /** The first {@code n} images. */
    public static LabeledImages first(LabeledImages all, int n) {
        require(all, n);
        int[] idx = new int[n];
        for (int k = 0; k < n; k++) {
            idx[k] = k;
        }
        return all.select(idx);
    }

    /**
     * {@code n} distinct images in random order: a Fisher–Yates shuffle whose k-th swap uses Philox
     * word (seed, block k, stream 3), so the choice depends only on the seed and the data size.
     */
    public static LabeledImages random(LabeledImages all, int n, long seed) {
        require(all, n);
        return all.select(randomIndices(all.images().count(), n, seed));
    }

    /**
     * The first {@code n} entries of the seeded Fisher–Yates shuffle of 0 .. total-1 that {@link #random}
     * selects: taking more continues the same shuffle, so {@code randomIndices(t, p + v, s)} starts with
     * {@code randomIndices(t, p, s)} and its last v entries are disjoint from those (a held-out set).
     */
    public static int[] randomIndices(int total, int n, long seed) {
        if (n < 0 || n > total) {
            throw new BadInputException("n must be between 0 and " + total + ", found " + n);
        }
        int[] perm = new int[total];
        for (int k = 0; k < total; k++) {
            perm[k] = k;
        }
        int[] words = new int[4];
        for (int k = 0; k < n; k++) {
            Philox4x32.block(k, 3, 0, 0, (int) seed, (int) (seed >>> 32), words);
            long r = ((words[0] & 0xFFFFFFFFL) << 32 | (words[1] & 0xFFFFFFFFL)) >>> 1;
            int j = k + (int) (r % (total - k));
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        return java.util.Arrays.copyOf(perm, n);
    }

    private static void require(LabeledImages all, int n) {
        if (n < 1 || n > all.images().count()) {
            throw new BadInputException("probes must be between 1 and the " + all.images().count()
                    + " images available in " + all.source() + ", found " + n);
        }
    }
}
