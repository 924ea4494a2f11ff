package org.diffeo4j.stability;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Model;

import java.util.List;

/**
 * One realisation of the protocol with every random draw given by the caller (the reference
 * vectors of ../shared/golden/stability, {@code diffeo verify}, tests): coefficients z per image in
 * {@link CoefficientBatch}'s c x c grid layout and the raw normals g of the noise, image after image.
 */
public final class StabilityReplay {
    private StabilityReplay() {
    }

    /**
     * The replayed realisation.
     *
     * @param displacementNorms {@code ||tau x_i - x_i||} per image (x smoothed for Gaussian interpolation)
     */
    public record Result(Sensitivities output, double[] displacementNorms) {
    }

    /**
     * Replays one realisation; {@code images} and the arrays are not modified.
     *
     * @param noise raw normals g, {@code count*C*H*W}, image after image; normalised here
     */
    public static Result replay(Model model, DiffeoBackend backend, ImageBatch images, CoefficientBatch coeffs,
                                double temperature, Interpolation interp, Average average, double[] noise) {
        if (coeffs.count() != images.count()) {
            throw new IllegalArgumentException("coefficients must be given for each of the " + images.count()
                    + " images, found " + coeffs.count());
        }
        StabilityMeasurement m = new StabilityMeasurement(model, backend);
        try (StabilityMeasurement.Clean clean = m.prepare(images, interp, average, List.of())) {
            FieldBatch fields = backend.synthesize(coeffs, temperature, images.height(), images.width());
            ImageBatch deformed = backend.remap(images, fields, interp);
            ImageBatch noisy = Noise.add(clean.base(), deformed, noise);
            Sensitivities s = m.compare(clean, deformed, noisy, average).get(Model.OUTPUT);
            return new Result(s, Noise.displacementNorms(clean.base(), deformed));
        }
    }
}
