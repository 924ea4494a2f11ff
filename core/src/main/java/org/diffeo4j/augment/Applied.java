package org.diffeo4j.augment;

import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;

/**
 * What was applied to one image: its replay record. {@code backend.deform(image, spec(interp), seed,
 * address)} gives the same deformed image (within the backends' twin tolerance).
 *
 * @param epoch epoch of the draw
 * @param image index of the image in the epoch
 * @param cut cut-off c drawn for it
 * @param temperature temperature T applied (the drawn one, halved {@code halvings} times)
 * @param drawnTemperature temperature drawn from the Beta
 * @param seed seed of every draw
 * @param address sample address of the field applied ({@link AugmentAddress})
 * @param attempts fields drawn for the image (1 unless diffeomorphisms are guaranteed and some folded)
 * @param halvings times T was halved after {@code attempts} folded fields (0 normally)
 */
public record Applied(int epoch, long image, int cut, double temperature, double drawnTemperature, long seed,
                      long address, int attempts, int halvings) {
    /** The spec that replays this image's deformation with {@code deformInto} at {@link #address}. */
    public DiffeoSpec spec(Interpolation interp) {
        return new DiffeoSpec(cut, temperature, interp);
    }
}
