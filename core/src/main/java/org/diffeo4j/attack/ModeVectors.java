package org.diffeo4j.attack;

import org.diffeo4j.field.Modes;

/**
 * The coefficients of one diffeo as a vector: {@code z = (z_u, z_v)} over the modes of the disc (Eq. 2:
 * {@code 1 <= i, j <= c}, {@code i^2 + j^2 <= c^2 + c}), mode by mode in the grid order of
 * {@link org.diffeo4j.field.CoefficientBatch} ({@code (i-1)*c + (j-1)}), z_u's modes first.
 *
 * <p>These are whitened coordinates: with {@code C_ij = sqrt(T) z_ij / sqrt(i^2 + j^2)} the energy
 * {@code E = sum (i^2 + j^2) (C^u_ij^2 + C^v_ij^2) = T |z|^2}, and {@code E pi^2 / 4} is
 * {@code ||grad tau||^2} integrated over the unit square. A typical draw at T has
 * {@code E[|z|^2] = 2M} (z standard normal, M modes per field): the constraint of the attack is the
 * sphere {@code |z|^2 = 2M}, on which the energy is the ensemble's expected energy {@code 2 M T}.
 */
public final class ModeVectors {
    private final int cut;
    private final int[] grid;

    /** The vectors of cut-off {@code cut}. */
    public ModeVectors(int cut) {
        org.diffeo4j.validate.Checks.requireCut(cut);
        this.cut = cut;
        this.grid = new int[Modes.count(cut)];
        int m = 0;
        for (int i = 1; i <= cut; i++) {
            for (int j = 1; j <= cut; j++) {
                if (Modes.contains(cut, i, j)) {
                    grid[m++] = (i - 1) * cut + (j - 1);
                }
            }
        }
    }

    public int cut() {
        return cut;
    }

    /** M, the modes of one field. */
    public int modes() {
        return grid.length;
    }

    /** 2M, the length of a vector. */
    public int dimension() {
        return 2 * grid.length;
    }

    /** The grid element (i-1)*c + (j-1) of mode m (0-based, of one field). */
    public int gridIndex(int m) {
        return grid[m];
    }

    /** {@code |z|^2} on the constraint: 2M, the expected {@code |z|^2} of a typical draw. */
    public double radiusSquared() {
        return dimension();
    }

    /** The expected energy of a draw at {@code temperature}: {@code 2 M T}. */
    public double energyBudget(double temperature) {
        return radiusSquared() * temperature;
    }

    /**
     * Writes {@code z} as float grids (modes outside the disc 0, as drawn batches hold them).
     *
     * @param zu c*c floats at {@code zu[off ..]}, overwritten; likewise {@code zv}
     */
    public void toGrid(double[] z, float[] zu, float[] zv, int off) {
        java.util.Arrays.fill(zu, off, off + cut * cut, 0f);
        java.util.Arrays.fill(zv, off, off + cut * cut, 0f);
        int m = grid.length;
        for (int k = 0; k < m; k++) {
            zu[off + grid[k]] = (float) z[k];
            zv[off + grid[k]] = (float) z[m + k];
        }
    }

    /** The vector of float grids {@code zu[off ..]}, {@code zv[off ..]} (not modified). */
    public double[] fromGrid(float[] zu, float[] zv, int off) {
        int m = grid.length;
        double[] z = new double[2 * m];
        for (int k = 0; k < m; k++) {
            z[k] = zu[off + grid[k]];
            z[m + k] = zv[off + grid[k]];
        }
        return z;
    }

    /** The energy {@code T sum_disc (z_u^2 + z_v^2)} of float grids as synthesis reads them, in double. */
    public double energy(double temperature, float[] zu, float[] zv, int off) {
        double s = 0;
        for (int g : grid) {
            double a = zu[off + g], b = zv[off + g];
            s += a * a + b * b;
        }
        return temperature * s;
    }

    /** {@code z} (modified) scaled onto the sphere {@code |z|^2 = radiusSquared}; a zero vector is left as it is. */
    public static double[] scaleTo(double[] z, double radiusSquared) {
        double s = 0;
        for (double v : z) {
            s += v * v;
        }
        if (s > 0) {
            double f = Math.sqrt(radiusSquared / s);
            for (int k = 0; k < z.length; k++) {
                z[k] *= f;
            }
        }
        return z;
    }
}
