package org.diffeo4j.interp;

import org.diffeo4j.validate.BadInputException;

import java.util.Locale;

/** Interpolation of the remap. The reference code calls bilinear "linear"; both names parse. */
public enum Interpolation {
    BILINEAR("linear"),
    GAUSSIAN("gaussian"),
    NEAREST("nearest");

    private final String referenceName;

    Interpolation(String referenceName) {
        this.referenceName = referenceName;
    }

    /** The name used by the reference code and its vectors ({@code linear}, {@code gaussian}, {@code nearest}). */
    public String referenceName() {
        return referenceName;
    }

    /** Lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bilinear|linear|gaussian|nearest}, case-insensitively. */
    public static Interpolation parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Interpolation i : values()) {
            if (i.cliName().equals(k) || i.referenceName.equals(k)) {
                return i;
            }
        }
        throw new BadInputException("interp must be bilinear, gaussian or nearest, found '" + s + "'");
    }
}
