package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;

/**
 * Per-channel {@code (x - mean_c) / std_c}, applied after scaling to [0, 1] (torchvision's
 * Normalize). One value applies to every channel.
 */
public record Normalisation(double[] mean, double[] std) {
    public Normalisation {
        if (mean.length == 0 || mean.length != std.length) {
            throw new BadInputException("mean and std must have the same number (>= 1) of values, found "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new BadInputException("std must be finite numbers > 0, found " + Arrays.toString(std));
            }
        }
    }

    /** A normalised copy of {@code images} (not modified). */
    public ImageBatch apply(ImageBatch images) {
        int c = images.channels(), plane = images.height() * images.width();
        if (mean.length != 1 && mean.length != c) {
            throw new BadInputException("mean and std must have " + (c == 1 ? "1 value (the images have 1 channel)"
                    : "1 value or " + c + " (one per channel)") + ", found " + mean.length);
        }
        ImageBatch out = images.like();
        float[] in = images.data(), o = out.data();
        for (int s = 0; s < images.count(); s++) {
            for (int ch = 0; ch < c; ch++) {
                double m = mean[mean.length == 1 ? 0 : ch], sd = std[std.length == 1 ? 0 : ch];
                int base = (s * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    o[base + p] = (float) ((in[base + p] - m) / sd);
                }
            }
        }
        return out;
    }
}
