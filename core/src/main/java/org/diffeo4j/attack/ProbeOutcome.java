package org.diffeo4j.attack;

/**
 * One probe of one attacked cell.
 *
 * @param probe its index among the probes as attacked
 * @param index its index in the data (for replay with {@code deform --coefficients})
 * @param label the true class, or -1 without labels
 * @param predicted argmax of f(x), of f(tau x) for the typical draw of realisation 0, of f(tau* x) and of f(x + eta*)
 * @param distances {@code |f(.) - f(x)|^2} for the same four (the first is 0), not normalised
 * @param objective the target's value at tau* (the squared distance, or minus the margin)
 * @param restart the restart whose ascent gave tau*
 * @param energy {@code T |z*|^2} of the written (float) coefficients
 * @param zu z* of tau_u on the c x c grid (modes outside the disc 0): what synthesis reads; zv likewise
 * @param output f(tau* x)
 */
public record ProbeOutcome(int probe, int index, int label, int[] predicted, double[] distances, double objective, int restart,
                           double energy, float[] zu, float[] zv, float[] output) {
    /** Whether the predicted label of f(tau x) (typical, 1), f(tau* x) (2) or f(x + eta*) (3) differs from f(x)'s. */
    public boolean flipped(int which) {
        return predicted[which] != predicted[0];
    }
}
