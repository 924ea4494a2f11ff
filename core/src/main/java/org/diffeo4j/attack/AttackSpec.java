package org.diffeo4j.attack;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.stability.Average;
import org.diffeo4j.validate.Checks;

import java.util.List;

/**
 * What to attack: a sweep over cuts and strengths (deltas by Eq. 3, or temperatures) as
 * {@link org.diffeo4j.stability.StabilitySpec}, and in each cell, for every probe, {@code restarts}
 * ascents of {@code steps} steps each from the typical draws at sample addresses {@code r*P + i}
 * ({@code r < restarts}: the draws of a measurement's realisations) under {@code seed}.
 *
 * @param deltas typical displacements in pixels; empty when {@code temperatures} is given
 * @param temperatures temperatures T; empty when {@code deltas} is given
 * @param average the statistic of D_f and G_f (and of the normalisation)
 */
public record AttackSpec(List<Integer> cuts, List<Double> deltas, List<Double> temperatures, Target target, AttackMethod method,
                         int restarts, int steps, long seed, Average average) {
    public AttackSpec {
        if (cuts == null || cuts.isEmpty()) {
            throw new BadInputException("cut must be a list of at least one integer >= 1, found none");
        }
        deltas = deltas == null ? List.of() : List.copyOf(deltas);
        temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        if (deltas.isEmpty() == temperatures.isEmpty()) {
            throw new BadInputException("give either delta or temperature, found " + (deltas.isEmpty() ? "neither" : "both"));
        }
        for (int c : cuts) {
            Checks.requireCut(c);
            if (!deltas.isEmpty()) {
                Checks.requireLogCut(c, "a temperature from delta");
            }
        }
        deltas.forEach(d -> Checks.requireFinitePositive("delta", d));
        temperatures.forEach(t -> Checks.requireFinitePositive("temperature", t));
        if (target == null || method == null || average == null) {
            throw new BadInputException("target, method and average must be given, found " + target + ", " + method + " and " + average);
        }
        Checks.requireAtLeast("restarts", 1, restarts);
        Checks.requireAtLeast("steps", 1, steps, "at least one ascent step from each typical draw");
        cuts = List.copyOf(cuts);
    }

    /** Number of strengths per cut. */
    public int strengths() {
        return deltas.isEmpty() ? temperatures.size() : deltas.size();
    }

    /** The delta of strength {@code t}, or NaN when temperatures were given. */
    public double delta(int t) {
        return deltas.isEmpty() ? Double.NaN : deltas.get(t);
    }

    /** The temperature of strength {@code t} at {@code cut} on images of side {@code n} (Eq. 3 from delta). */
    public double temperature(int cut, int t, int n) {
        return deltas.isEmpty() ? temperatures.get(t) : Temperatures.temperature(deltas.get(t), cut, n);
    }
}
