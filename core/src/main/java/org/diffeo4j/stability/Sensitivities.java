package org.diffeo4j.stability;

/**
 * One realisation on one layer: the normalisation and D_f, G_f (already divided by it).
 *
 * @param deno median (or mean) over ordered pairs of {@code ||f(x_i) - f(x_j)||^2}
 * @param d D_f = sum_k average_i (f(tau x_i)_k - f(x_i)_k)^2 / deno
 * @param g G_f, the same with x_i + eta_i
 */
public record Sensitivities(double deno, double d, double g) {
    /** R_f = D_f / G_f. */
    public double r() {
        return d / g;
    }
}
