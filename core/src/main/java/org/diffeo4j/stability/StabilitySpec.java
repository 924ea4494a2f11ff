package org.diffeo4j.stability;

import org.diffeo4j.interp.Interpolation;

import java.util.List;

/**
 * What to measure: a sweep over cuts and strengths (deltas by Eq. 3, or temperatures), each cell
 * with {@code realisations} independent draws from {@code seed}.
 *
 * @param deltas typical displacements in pixels; empty when {@code temperatures} is given
 * @param temperatures temperatures T; empty when {@code deltas} is given
 * @param layers hidden layers measured besides the output (may be empty)
 */
public record StabilitySpec(List<Integer> cuts, List<Double> deltas, List<Double> temperatures, Interpolation interp,
                            Average average, int realisations, long seed, List<String> layers) {
    public StabilitySpec {
        if (cuts == null || cuts.isEmpty()) {
            throw new IllegalArgumentException("cut must be a list of at least one integer >= 1, found none");
        }
        deltas = deltas == null ? List.of() : List.copyOf(deltas);
        temperatures = temperatures == null ? List.of() : List.copyOf(temperatures);
        if (deltas.isEmpty() == temperatures.isEmpty()) {
            throw new IllegalArgumentException("give either delta or temperature, found "
                    + (deltas.isEmpty() ? "neither" : "both"));
        }
        for (int c : cuts) {
            if (c < 1) {
                throw new IllegalArgumentException("cut must be >= 1, found " + c);
            }
            if (!deltas.isEmpty() && c < 2) {
                throw new IllegalArgumentException("cut must be >= 2 for a temperature from delta (ln 1 = 0), found " + c);
            }
        }
        for (double d : deltas) {
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("delta must be a finite number > 0, found " + d);
            }
        }
        for (double t : temperatures) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("temperature must be a finite number > 0, found " + t);
            }
        }
        if (interp == null || average == null) {
            throw new IllegalArgumentException("interp and average must be given, found " + interp + " and " + average);
        }
        if (realisations < 1) {
            throw new IllegalArgumentException("realisations must be >= 1, found " + realisations);
        }
        cuts = List.copyOf(cuts);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** The reference's defaults: cut 3, delta 1, bilinear, median, one realisation. */
    public static StabilitySpec defaults(long seed) {
        return new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 1, seed, List.of());
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
