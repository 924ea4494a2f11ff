package org.diffeo4j.model;

import java.util.List;

/**
 * The values of one layer for a batch: {@code data[s*units + k]} is unit k of sample s (a conv
 * layer's C x H x W values flattened in that order).
 */
public record Activations(int count, int units, float[] data) {
    public Activations {
        if (count < 0 || units < 1) {
            throw new IllegalArgumentException("activations need count >= 0 and units >= 1, found " + count + " x " + units);
        }
        if (data == null || data.length != (long) count * units) {
            throw new IllegalArgumentException("activation data must have count*units = " + (long) count * units
                    + " floats, found " + (data == null ? "null" : data.length));
        }
    }

    /** Value k of sample s. */
    public float get(int s, int k) {
        return data[s * units + k];
    }

    /** The batches one after the other; all must have the same units. */
    public static Activations concat(List<Activations> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int units = parts.get(0).units(), count = 0;
        for (Activations p : parts) {
            if (p.units() != units) {
                throw new IllegalArgumentException("activations to join must have " + units + " units, found " + p.units());
            }
            count += p.count();
        }
        float[] d = new float[count * units];
        int at = 0;
        for (Activations p : parts) {
            System.arraycopy(p.data(), 0, d, at, p.data().length);
            at += p.data().length;
        }
        return new Activations(count, units, d);
    }
}
