package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import java.util.Locale;

/**
 * Which noise G_f compares the deformation with. Both have, per image, exactly the norm of
 * {@code tau x - x}; they differ in how that norm is spread over frequencies.
 */
public enum NoiseKind {
    /** Isotropic Gaussian (the paper's and the reference's): a white spectrum, {@link Noise}. */
    GAUSSIAN,
    /**
     * The power spectrum of {@code tau x - x} itself, per image and channel, with random phases
     * ({@link SpectralNoise}): a control for "stable to smoothness" against "stable to low frequencies".
     */
    SPECTRAL;

    /** Parses {@code gaussian|spectral}, case-insensitively. */
    public static NoiseKind parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (NoiseKind n : values()) {
            if (n.cliName().equals(k)) {
                return n;
            }
        }
        throw new BadInputException("noise must be gaussian or spectral, found '" + s + "'");
    }

    /** {@code gaussian} or {@code spectral}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
