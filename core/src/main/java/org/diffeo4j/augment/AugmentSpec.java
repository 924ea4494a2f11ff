package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of the authors' {@code transform.py} (pcsl-epfl/diffeomorphism, class {@code Diffeo}):
 * the cut-off is {@code c = floor(B_c (c_max + 1 - c_min) + c_min)} and the temperature
 * {@code T = T_min(c) + B_T (T_max(c) - T_min(c))}, with {@code B ~ Beta(alpha, beta)},
 * {@code alpha = s - s/(r+1)}, {@code beta = s/(r+1)} for each of (s_T, r_T) and (s_c, r_c): s = alpha + beta
 * sets how peaked the draw is and r = alpha/beta how biased toward the upper end. T_min and T_max are
 * the natural range of {@link Temperatures} at the image width n (the authors use the last axis).
 *
 * <p>Defaults are PRIME's (Modas et al., ECCV 2022, the authors' transform in training, config
 * {@code CIFAR_PARAMS["diffeo"]}): every s and r = 1 (so both Betas are Beta(1/2, 1/2)), c_min = 2,
 * c_max = 100, here capped at the largest cut with T_min <= T_max for the image side
 * ({@link #cutMax} = {@link #AUTO_CUT_MAX}); an explicit c_max above that cap is refused.
 *
 * @param sT peakedness s of the temperature's Beta, > 0
 * @param rT bias r of the temperature's Beta toward T_max, > 0
 * @param sCut peakedness of the cut-off's Beta, > 0
 * @param rCut bias of the cut-off's Beta toward c_max, > 0
 * @param cutMin smallest cut-off, >= 2 (ln 1 = 0 leaves T_min undefined)
 * @param cutMax largest cut-off, >= cutMin, or {@link #AUTO_CUT_MAX}
 * @param tMaxScale upper end of T's range in units of T_max (1 in transform.py; above 1 reaches past
 *        the natural range, where folds appear: for stronger deformations and for testing the guarantee)
 * @param interpolation how images are re-sampled
 * @param diffeomorphic redraw fields until det(I - grad tau) > 0 on the pixel grid ({@link DiffeoAugment})
 * @param attempts fields drawn per image before its temperature is lowered, 1..128
 */
public record AugmentSpec(double sT, double rT, double sCut, double rCut, int cutMin, int cutMax, double tMaxScale,
                          Interpolation interpolation, boolean diffeomorphic, int attempts) {
    /** c_max = min(100, largest cut whose natural range is not empty for the image side). */
    public static final int AUTO_CUT_MAX = 0;
    /** PRIME's c_max. */
    public static final int DEFAULT_CUT_MAX = 100;
    /** Attempts per image by default when diffeomorphisms are guaranteed. */
    public static final int DEFAULT_ATTEMPTS = 16;

    public AugmentSpec {
        requirePositive("s_T", sT);
        requirePositive("r_T", rT);
        requirePositive("s_c", sCut);
        requirePositive("r_c", rCut);
        if (cutMin < 2) {
            throw new BadInputException("c_min must be >= 2, found " + cutMin);
        }
        if (cutMax != AUTO_CUT_MAX && cutMax < cutMin) {
            throw new BadInputException("c_max must be >= c_min = " + cutMin + " (or auto), found " + cutMax);
        }
        requirePositive("t_max_scale", tMaxScale);
        if (interpolation == null) {
            throw new BadInputException("interp must be bilinear, gaussian or nearest, found null");
        }
        if (attempts < 1 || attempts > AugmentAddress.MAX_ATTEMPTS) {
            throw new BadInputException("attempts must be in [1, " + AugmentAddress.MAX_ATTEMPTS + "], found " + attempts);
        }
    }

    /** PRIME's defaults, bilinear, no guarantee. */
    public static AugmentSpec defaults() {
        return new AugmentSpec(1, 1, 1, 1, 2, AUTO_CUT_MAX, 1, Interpolation.BILINEAR, false, DEFAULT_ATTEMPTS);
    }

    /** alpha = s - s/(r+1) of the temperature's Beta. */
    public double alphaT() {
        return sT - sT / (rT + 1);
    }

    /** beta = s/(r+1) of the temperature's Beta. */
    public double betaT() {
        return sT / (rT + 1);
    }

    /** alpha of the cut-off's Beta. */
    public double alphaCut() {
        return sCut - sCut / (rCut + 1);
    }

    /** beta of the cut-off's Beta. */
    public double betaCut() {
        return sCut / (rCut + 1);
    }

    /** Largest cut-off c >= 2 with T_min(c, n) <= T_max(c), i.e. c <= 2n/pi; 1 when there is none. */
    public static int naturalCutLimit(int n) {
        int c = 1;
        while (Temperatures.tMin(c + 1, n) <= Temperatures.tMax(c + 1)) {
            c++;
        }
        return c;
    }

    /** The c_max used on images of width n: refuses a range with no natural temperatures. */
    public int cutMaxFor(int n) {
        int limit = naturalCutLimit(n);
        int max = cutMax == AUTO_CUT_MAX ? Math.min(DEFAULT_CUT_MAX, limit) : cutMax;
        if (max > limit || cutMin > max) {
            throw new BadInputException("c_max must be <= " + limit + " for images of width " + n
                    + " (T_min > T_max above), found c_min = " + cutMin + ", c_max = "
                    + (cutMax == AUTO_CUT_MAX ? "auto" : cutMax));
        }
        return max;
    }

    /** This spec with another interpolation, guarantee and attempts. */
    public AugmentSpec with(Interpolation interp, boolean diffeo, int attemptsPerImage) {
        return new AugmentSpec(sT, rT, sCut, rCut, cutMin, cutMax, tMaxScale, interp, diffeo, attemptsPerImage);
    }

    /**
     * Parses {@code diffeo[:key=value,...]} with keys s_T, r_T, s_c, r_c, c_min, c_max (a number or
     * auto), t_max_scale, interp, diffeomorphic (true/false), attempts. Unknown keys and bad values are refused.
     */
    public static AugmentSpec parse(String text) {
        String t = text == null ? "" : text.trim();
        String head = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
        if (!head.equals("diffeo")) {
            throw new BadInputException("augment must be diffeo[:s_T=..,r_T=..,s_c=..,r_c=..,c_min=..,c_max=..], found '" + text + "'");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        if (t.contains(":")) {
            for (String part : t.substring(t.indexOf(':') + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq < 1) {
                    throw new BadInputException("augment option must be key=value, found '" + part + "'");
                }
                kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        AugmentSpec d = defaults();
        double sT = d.sT, rT = d.rT, sC = d.sCut, rC = d.rCut, tScale = d.tMaxScale;
        int cMin = d.cutMin, cMax = d.cutMax, attempts = d.attempts;
        Interpolation interp = d.interpolation;
        boolean diffeo = d.diffeomorphic;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "s_T" -> sT = number("s_T", v);
                case "r_T" -> rT = number("r_T", v);
                case "s_c" -> sC = number("s_c", v);
                case "r_c" -> rC = number("r_c", v);
                case "c_min" -> cMin = integer("c_min", v);
                case "c_max" -> cMax = v.equals("auto") ? AUTO_CUT_MAX : integer("c_max", v);
                case "t_max_scale" -> tScale = number("t_max_scale", v);
                case "interp" -> interp = Interpolation.parse(v);
                case "diffeomorphic" -> diffeo = bool("diffeomorphic", v);
                case "attempts" -> attempts = integer("attempts", v);
                default -> throw new BadInputException("augment key must be one of s_T, r_T, s_c, r_c, c_min, "
                        + "c_max, t_max_scale, interp, diffeomorphic, attempts, found '" + e.getKey() + "'");
            }
        }
        return new AugmentSpec(sT, rT, sC, rC, cMin, cMax, tScale, interp, diffeo, attempts);
    }

    /** The option string that parses back to this spec. */
    public String format() {
        return String.format(Locale.ROOT, "diffeo:s_T=%s,r_T=%s,s_c=%s,r_c=%s,c_min=%d,c_max=%s,t_max_scale=%s,interp=%s,diffeomorphic=%s,attempts=%d",
                sT, rT, sCut, rCut, cutMin, cutMax == AUTO_CUT_MAX ? "auto" : Integer.toString(cutMax), tMaxScale,
                interpolation.cliName(), diffeomorphic, attempts);
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new BadInputException(name + " must be a finite number > 0, found " + v);
        }
    }

    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(name + " must be a number, found '" + v + "'");
        }
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(name + " must be an integer, found '" + v + "'");
        }
    }

    private static boolean bool(String name, String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new BadInputException(name + " must be true or false, found '" + v + "'");
    }
}
