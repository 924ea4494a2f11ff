package org.diffeo4j.stripe;

/**
 * One finished (P, seed) cell.
 *
 * @param trainSize P
 * @param seed the Philox key of its data, net and noise
 * @param r R_f of the trained net (Eq. 6)
 * @param rInit R_f of the net at initialisation, f_0 itself (the alpha-trick g is 0 there)
 * @param testError fraction of test points misclassified by sign(g)
 * @param alignment {@link ReluNet#alignment()} after training
 * @param epochs gradient steps
 * @param fitted every training margin reached 1 before the cap
 * @param seconds wall time of the cell
 */
public record StripeCell(int trainSize, int seed, double r, double rInit, double testError, double alignment,
                         int epochs, boolean fitted, double seconds) {
}
