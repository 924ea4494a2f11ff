package org.diffeo4j.attack;

import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.LayerResult;

import java.util.List;

/**
 * The result of one (cut, strength) cell of an attack. D_f* and G_f* are the protocol's statistic (sum
 * over outputs of the per-output average over probes, divided by the normalisation {@code deno}) of the
 * worst-case deformed and noisy probes; {@code typical} is the measurement of the same cell with one
 * realisation per restart (the draws the ascents start from), as {@code diffeo measure --realisations
 * R --backend java} gives it.
 *
 * @param delta the typical displacement asked for (Eq. 3), or NaN when the temperature was given
 * @param typical D_f, G_f, R_f of the typical draws, log-averaged over the restarts' realisations
 * @param dWorst D_f* of the worst-case diffeos
 * @param gWorst G_f* of the worst-case noise (norm |tau x - x| of realisation 0's diffeo)
 * @param flipTypical fraction of probes whose predicted label the typical diffeo changes, averaged over realisations
 * @param flipWorst the same under the worst-case diffeo; {@code flipNoise} under the worst-case noise
 * @param energyBudget the constrained energy {@code 2 M T} (M modes per field)
 * @param energyError the largest {@code |T |z*|^2 - 2 M T| / (2 M T)} over the probes' written coefficients
 * @param foldedWorst fraction of probes whose worst-case field is not a diffeomorphism on the pixel grid (some pixel with
 *                    {@code det(I - grad tau*) <= 0}, Appendix B's check, {@link org.diffeo4j.field.Jacobian}): the climb
 *                    is constrained in energy only, which does not rule folds out; NaN when not known (files written before)
 * @param minDeterminantWorst the smallest {@code det(I - grad tau*)} over the probes' worst fields and the grid; NaN when not known
 */
public record AttackCell(int cut, double delta, double temperature, Target target, AttackMethod method, Average average, int restarts,
                         int steps, double deno, LayerResult typical, double dWorst, double gWorst, double flipTypical, double flipWorst,
                         double flipNoise, double energyBudget, double energyError, double foldedWorst, double minDeterminantWorst,
                         List<ProbeOutcome> probes) {
    public AttackCell {
        probes = List.copyOf(probes);
    }

    /** R_f* = D_f* / G_f: the worst-case diffeo against typical noise. */
    public double rWorst() {
        return dWorst / typical.g().logmean();
    }

    /** R_f^rel* = D_f* / G_f*: the worst-case diffeo against the worst-case noise of the same norm. */
    public double rRelativeWorst() {
        return dWorst / gWorst;
    }

    /** D_f* / D_f. */
    public double gain() {
        return dWorst / typical.d().logmean();
    }
}
