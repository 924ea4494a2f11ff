package org.diffeo4j.field;

import org.diffeo4j.random.Normals;

/**
 * The standard-normal coefficients z of a batch of field pairs, before the mode weights: for sample
 * s, {@code zu[s*c*c + (i-1)*c + (j-1)]} multiplies mode (i, j) of tau_u, {@code zv} the same for
 * tau_v. Entries of modes outside the disc are ignored by synthesis; drawn batches hold 0 there.
 *
 * <p>Drawn from (seed, sample) with {@link #draw}, or supplied by a caller to replay a reference.
 *
 * @param cut the cut-off c
 * @param count number of samples
 * @param zu coefficients of tau_u, {@code count*c*c}
 * @param zv coefficients of tau_v, {@code count*c*c}
 */
public record CoefficientBatch(int cut, int count, float[] zu, float[] zv) {
    public CoefficientBatch {
        Modes.requireCut(cut);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, found " + count);
        }
        int want = count * cut * cut;
        if (zu.length != want || zv.length != want) {
            throw new IllegalArgumentException("zu and zv must have count*cut*cut = " + want
                    + " entries, found " + zu.length + " and " + zv.length);
        }
    }

    /** Coefficients of samples {@code firstSample .. firstSample+count-1} under {@code seed}. */
    public static CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
        Modes.requireCut(cut);
        int per = cut * cut;
        float[] zu = new float[count * per];
        float[] zv = new float[count * per];
        double[] scratch = new double[per];
        for (int s = 0; s < count; s++) {
            drawOne(cut, seed, firstSample + s, Normals.STREAM_U, scratch, zu, s * per);
            drawOne(cut, seed, firstSample + s, Normals.STREAM_V, scratch, zv, s * per);
        }
        return new CoefficientBatch(cut, count, zu, zv);
    }

    /**
     * Draws the c x c coefficients of one field into {@code out[offset ..]} (grid layout), reading
     * the cut-independent stream addresses of {@link Modes#streamElement}.
     *
     * @param scratch at least c*c doubles; overwritten
     */
    public static void drawOne(int cut, long seed, long sample, int stream, double[] scratch, float[] out, int offset) {
        // Shells 1..c cover stream elements [0, c^2) exactly; Box–Muller pairs whose two modes are
        // both outside the disc are skipped (about a fifth of them for large c).
        Normals.fillNeeded(seed, sample, stream, scratch, cut * cut, neededPairs(cut));
        for (int i = 1; i <= cut; i++) {
            for (int j = 1; j <= cut; j++) {
                // outside the disc a coefficient has no meaning: 0 on every backend
                out[offset + (i - 1) * cut + (j - 1)] = Modes.contains(cut, i, j) ? (float) scratch[Modes.streamElement(i, j)] : 0f;
            }
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, boolean[]> NEEDED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Per Box–Muller pair of stream elements (2k, 2k+1): whether either addresses a mode of the disc. */
    static boolean[] neededPairs(int cut) {
        return NEEDED.computeIfAbsent(cut, c -> {
            boolean[] need = new boolean[(c * c + 1) / 2];
            for (int i = 1; i <= c; i++) {
                for (int j = 1; j <= c; j++) {
                    if (Modes.contains(c, i, j)) {
                        need[Modes.streamElement(i, j) / 2] = true;
                    }
                }
            }
            return need;
        });
    }

    /** Replays coefficients given in double precision (the reference vectors' layout). */
    public static CoefficientBatch of(int cut, double[] zu, double[] zv) {
        Modes.requireCut(cut);
        int per = cut * cut;
        if (zu.length % per != 0 || zu.length != zv.length) {
            throw new IllegalArgumentException("z_u and z_v must hold a multiple of cut*cut = " + per
                    + " entries each, found " + zu.length + " and " + zv.length);
        }
        float[] fu = new float[zu.length];
        float[] fv = new float[zv.length];
        for (int k = 0; k < zu.length; k++) {
            fu[k] = (float) zu[k];
            fv[k] = (float) zv[k];
        }
        return new CoefficientBatch(cut, zu.length / per, fu, fv);
    }
}
