package org.diffeo4j.field;

import org.diffeo4j.validate.BadInputException;

/**
 * The temperature scales of Section 2.1 for an image side n and cut-off c.
 *
 * <ul>
 *   <li>typical displacement at the centre, Eq. 3 (asymptotic in c): {@code delta = n sqrt(pi T ln c) / 2};</li>
 *   <li>its pre-asymptotic form, the exact ensemble value:
 *       {@code delta^2 = 2 n^2 T S(c)}, {@code S(c) = sum over modes with i and j odd of 1/(i^2+j^2)}
 *       (sin^2(i pi/2) is 1 for odd i, 0 for even); S(c) tends to (pi/8) ln c;</li>
 *   <li>natural range: {@code T_min = 1/(pi n^2 ln c)} (delta = 1/2) and {@code T_max = 4/(pi^3 c^2 ln c)};</li>
 *   <li>gradient norm, large c: {@code ||grad tau||^2 = (pi^3/8) c^2 T}.</li>
 * </ul>
 * c = 1 has ln c = 0: the asymptotic formulas do not apply and are refused with a message.
 */
public final class Temperatures {
    private Temperatures() {
    }

    /** Eq. 3: typical centre displacement in pixels, asymptotic form. */
    public static double delta(double temperature, int cut, int n) {
        requireTemperature(temperature);
        requireLogCut(cut, "a typical displacement");
        return n * Math.sqrt(Math.PI * temperature * Math.log(cut)) / 2;
    }

    /** Inverse of Eq. 3: the temperature giving typical displacement {@code delta} pixels. */
    public static double temperature(double delta, int cut, int n) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new BadInputException("delta must be a finite number >= 0, found " + delta);
        }
        requireLogCut(cut, "a temperature from delta");
        requireSide(n);
        double t = 4 * delta * delta / (Math.PI * (double) n * n * Math.log(cut));
        if (!Double.isFinite(t)) { // delta^2 overflows: say so about delta, which the user gave, not about T
            throw new BadInputException("delta must be small enough that its temperature 4 delta^2 / (pi n^2 ln c) is finite, found " + delta);
        }
        return t;
    }

    /** Exact (pre-asymptotic) root-mean-square centre displacement |(dx, dy)| in pixels. */
    public static double deltaExact(double temperature, int cut, int n) {
        requireTemperature(temperature);
        return n * Math.sqrt(2 * temperature * oddModeSum(cut));
    }

    /** S(c): sum of 1/(i^2 + j^2) over modes of the set with i and j both odd. */
    public static double oddModeSum(int cut) {
        Modes.requireCut(cut);
        double s = 0;
        for (int i = 1; i <= cut; i += 2) {
            for (int j = 1; j <= cut; j += 2) {
                if (Modes.contains(cut, i, j)) {
                    s += 1.0 / (i * i + j * j);
                }
            }
        }
        return s;
    }

    /** Lower end of the natural range, delta = 1/2: {@code 1 / (pi n^2 ln c)}. */
    public static double tMin(int cut, int n) {
        requireLogCut(cut, "T_min");
        requireSide(n);
        return 1.0 / (Math.PI * (double) n * n * Math.log(cut));
    }

    /** Upper end of the natural range: {@code 4 / (pi^3 c^2 ln c)}. */
    public static double tMax(int cut) {
        requireLogCut(cut, "T_max");
        return 4.0 / (Math.pow(Math.PI, 3) * cut * cut * Math.log(cut));
    }

    /** Section 2.1, large c: {@code ||grad tau||^2 = (pi^3 / 8) c^2 T}. */
    public static double gradientNormSquared(double temperature, int cut) {
        requireTemperature(temperature);
        Modes.requireCut(cut);
        return Math.pow(Math.PI, 3) / 8 * cut * cut * temperature;
    }

    static void requireTemperature(double temperature) {
        org.diffeo4j.validate.Checks.requireTemperature(temperature);
    }

    static void requireLogCut(int cut, String what) {
        org.diffeo4j.validate.Checks.requireLogCut(cut, what);
    }

    static void requireSide(int n) {
        if (n < 1) {
            throw new BadInputException("image side must be >= 1, found " + n);
        }
    }
}
