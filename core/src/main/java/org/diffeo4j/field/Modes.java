package org.diffeo4j.field;

/**
 * The mode set of the reference code for a cut-off c: {@code 1 <= i, j <= c} and
 * {@code sqrt(i^2 + j^2) < c + 1/2}, with weights {@code 1 / sqrt(i^2 + j^2)} (Eq. 2).
 *
 * <p>Coefficients of one field are stored on the full c x c grid, element {@code (i-1)*c + (j-1)},
 * the layout of the reference vectors; modes outside the disc carry weight 0.
 */
public final class Modes {
    private Modes() {
    }

    /** True when (i, j) is in the mode set of cut-off {@code cut}. Exact integer test of r < c + 1/2. */
    public static boolean contains(int cut, int i, int j) {
        // i^2 + j^2 < (c + 1/2)^2 = c^2 + c + 1/4  <=>  i^2 + j^2 <= c^2 + c for integers.
        return i >= 1 && j >= 1 && i <= cut && j <= cut && i * i + j * j <= cut * cut + cut;
    }

    /** The c x c grid of mode weights {@code 1/sqrt(i^2+j^2)}, zero outside the disc. */
    public static double[] weights(int cut) {
        requireCut(cut);
        double[] w = new double[cut * cut];
        for (int i = 1; i <= cut; i++) {
            for (int j = 1; j <= cut; j++) {
                w[(i - 1) * cut + (j - 1)] = contains(cut, i, j) ? 1.0 / Math.sqrt(i * i + j * j) : 0.0;
            }
        }
        return w;
    }

    /** Number of modes in the set (for napkin math and reports). */
    public static int count(int cut) {
        requireCut(cut);
        int n = 0;
        for (int i = 1; i <= cut; i++) {
            for (int j = 1; j <= cut; j++) {
                if (contains(cut, i, j)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The random-stream element that addresses mode (i, j), independent of the cut-off: shell
     * {@code k = max(i, j)} occupies elements {@code (k-1)^2 .. k^2 - 1}, first (k, 1..k) then
     * (1..k-1, k). With the same seed, raising c keeps every low mode and adds high ones, so a
     * row of Fig. 1 shows one deformation refined rather than unrelated ones.
     */
    public static int streamElement(int i, int j) {
        int k = Math.max(i, j);
        int base = (k - 1) * (k - 1);
        return i == k ? base + (j - 1) : base + k + (i - 1);
    }

    static void requireCut(int cut) {
        org.diffeo4j.validate.Checks.requireCut(cut);
    }
}
