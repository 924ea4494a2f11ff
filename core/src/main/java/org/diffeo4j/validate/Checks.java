package org.diffeo4j.validate;

/**
 * The project's input checks. Each throws {@link BadInputException} with the message form
 * {@code "<name> must be <expected>, found <value>"}; names are the parameters' own ({@code cut},
 * {@code temperature}), which the command line shows as its options ({@code --cut}).
 */
public final class Checks {
    private Checks() {
    }

    /** {@code "<name> must be <expected>, found <found>"}. */
    public static BadInputException invalid(String name, String expected, Object found) {
        return new BadInputException(name + " must be " + expected + ", found " + found);
    }

    /** A cut-off c of the mode set (Eq. 2): {@code c >= 1}. */
    public static int requireCut(int cut) {
        if (cut < 1) {
            throw invalid("cut", ">= 1", cut);
        }
        return cut;
    }

    /**
     * A cut-off used in a formula with ln c (Eq. 3, T_max): {@code c >= 2}.
     *
     * @param what the formula, for the message ("a temperature from delta")
     */
    public static int requireLogCut(int cut, String what) {
        if (cut < 2) {
            throw invalid("cut", ">= 2 for " + what + " (ln 1 = 0)", cut);
        }
        return cut;
    }

    /**
     * The largest cut-off an image of {@code side} pixels resolves: on the grid x_k = k/(n-1) the
     * mode sin(i pi x) vanishes for i = n-1 and aliases onto mode 2(n-1)-i beyond, so c <= n-1.
     */
    public static int cutLimit(int side) {
        return Math.max(1, side - 1);
    }

    /** A cut-off no larger than {@link #cutLimit} of an image of {@code side} pixels (the larger side). */
    public static int requireResolvableCut(int cut, int side) {
        requireCut(cut);
        if (cut > cutLimit(side)) {
            throw invalid("cut", "<= " + cutLimit(side) + " for " + side + "-pixel images (modes beyond the grid's Nyquist limit "
                    + "n - 1 alias onto lower ones)", cut);
        }
        return cut;
    }

    /** A temperature T: finite and {@code >= 0} (0 is the identity field). */
    public static double requireTemperature(double temperature) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw invalid("temperature", "a finite number >= 0", temperature);
        }
        return temperature;
    }

    /** A finite number {@code > 0} (a strength of a measurement, a std, ...). */
    public static double requireFinitePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(name, "a finite number > 0", v);
        }
        return v;
    }

    /** An integer {@code >= min}. */
    public static int requireAtLeast(String name, int min, int found) {
        if (found < min) {
            throw invalid(name, ">= " + min, found);
        }
        return found;
    }

    /** An integer {@code >= min} with the reason the minimum exists. */
    public static int requireAtLeast(String name, int min, int found, String why) {
        if (found < min) {
            throw invalid(name, ">= " + min + " (" + why + ")", found);
        }
        return found;
    }
}
