package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.validate.Checks;

import java.util.List;

/**
 * What to measure: a sweep over cuts and strengths (deltas by Eq. 3, or temperatures), each cell
 * with {@code realisations} independent draws from {@code seed}.
 *
 * @param deltas typical displacements in pixels; empty when {@code temperatures} is given
 * @param temperatures temperatures T; empty when {@code deltas} is given
 * @param layers hidden layers measured besides the output (may be empty)
 * @param noise the noise of G_f: Gaussian (the paper's) or spectrally matched
 */
public record StabilitySpec(List<Integer> cuts, List<Double> deltas, List<Double> temperatures, Interpolation interp,
                            Average average, int realisations, long seed, List<String> layers, NoiseKind noise) {
    /** A sweep with the paper's Gaussian noise. */
    public StabilitySpec(List<Integer> cuts, List<Double> deltas, List<Double> temperatures, Interpolation interp,
                         Average average, int realisations, long seed, List<String> layers) {
        this(cuts, deltas, temperatures, interp, average, realisations, seed, layers, NoiseKind.GAUSSIAN);
    }

    public StabilitySpec {
        if (cuts == null || cuts.isEmpty()) {
            throw new BadInputException("cut must be a list of at least one integer >= 1, found none");
        }
        deltas = deltas == null ? List.of() : List.copyOf(deltas);
        temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        if (deltas.isEmpty() == temperatures.isEmpty()) {
            throw new BadInputException("give either delta or temperature, found "
                    + (deltas.isEmpty() ? "neither" : "both"));
        }
        for (int c : cuts) {
            Checks.requireCut(c);
            if (!deltas.isEmpty()) {
                Checks.requireLogCut(c, "a temperature from delta");
            }
        }
        // Strictly positive: at T = 0 both D_f and G_f vanish and R_f = 0/0.
        deltas.forEach(d -> Checks.requireFinitePositive("delta", d));
        temperatures.forEach(t -> Checks.requireFinitePositive("temperature", t));
        if (interp == null || average == null || noise == null) {
            throw new BadInputException("interp, average and noise must be given, found " + interp + ", " + average + " and " + noise);
        }
        Checks.requireAtLeast("realisations", 1, realisations);
        cuts = List.copyOf(cuts);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** The reference's defaults: cut 3, delta 1, bilinear, median, one realisation. */
    public static StabilitySpec defaults(long seed) {
        return new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 1, seed, List.of());
    }

    /** This sweep with G_f measured against {@code kind} noise. */
    public StabilitySpec withNoise(NoiseKind kind) {
        return new StabilitySpec(cuts, deltas, temperatures, interp, average, realisations, seed, layers, kind);
    }

    /** Number of strengths per cut. */
    public int strengths() {
        return deltas.isEmpty() ? temperatures.size() : deltas.size();
    }

    /** Number of cells times realisations: the units of progress. */
    public int steps() {
        return cuts.size() * strengths() * realisations;
    }
}
