package org.diffeo4j.field;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.interp.Interpolation;

/**
 * What to draw and how to apply it: cut-off c, temperature T and interpolation.
 *
 * @param cut cut-off c >= 1 of the mode set
 * @param temperature T >= 0 (0 gives the identity field)
 * @param interpolation how the deformed image is re-sampled
 */
public record DiffeoSpec(int cut, double temperature, Interpolation interpolation) {
    public DiffeoSpec {
        Modes.requireCut(cut);
        Temperatures.requireTemperature(temperature);
        if (interpolation == null) {
            throw new BadInputException("interpolation must be bilinear, gaussian or nearest, found null");
        }
    }

    /** The spec whose typical displacement (Eq. 3) is {@code delta} pixels on images of side {@code n}. */
    public static DiffeoSpec ofDelta(int cut, double delta, int n, Interpolation interpolation) {
        return new DiffeoSpec(cut, Temperatures.temperature(delta, cut, n), interpolation);
    }
}
