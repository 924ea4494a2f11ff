package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.interp.Interpolation;

import java.util.Map;

/**
 * The result of one (cut, strength) cell of a sweep.
 *
 * @param delta the typical displacement asked for (Eq. 3), or NaN when the temperature was given
 * @param temperature T used
 * @param output the network's output
 * @param layers the named hidden layers asked for, in order
 * @param noise the noise G_f (and so R_f) was measured with
 */
public record CellResult(int cut, double delta, double temperature, Interpolation interp, Average average,
                         LayerResult output, Map<String, LayerResult> layers, NoiseKind noise) {
    public CellResult {
        if (noise == null) {
            throw new BadInputException("noise must be gaussian or spectral, found null");
        }
    }

    /** A cell measured against the paper's Gaussian noise. */
    public CellResult(int cut, double delta, double temperature, Interpolation interp, Average average,
                      LayerResult output, Map<String, LayerResult> layers) {
        this(cut, delta, temperature, interp, average, output, layers, NoiseKind.GAUSSIAN);
    }
}
