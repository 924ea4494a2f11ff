package org.diffeo4j.report;

import java.util.Locale;

/**
 * Limits and tick labels of a logarithmic axis. XChart puts a tick at every m·10^k (m = 1..9)
 * inside the limits; this class picks limits that hold at least three of them (so a value can be
 * read between labelled ticks: a δ-sweep's R_f of 7-13 used to get a single tick) and the mantissas
 * that are labelled, so that labels never crowd: all of 1..9 when a decade is tall enough, then
 * 1-2-3-5, 1-2-5, 1-3, decades only, every other decade, ...
 */
final class LogTicks {
    /** Mantissa sets, densest first. */
    private static final int[][] SETS = {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 5}, {1, 2, 5}, {1, 3}, {1}};
    /** Log-space padding beyond the data on each side, as a fraction of the data's span (min 0.02 decade). */
    private static final double PAD = 0.04;

    private LogTicks() {
    }

    /** Which ticks carry a label: mantissas {@code mantissas} in every {@code decadeStep}-th decade. */
    record Labels(int[] mantissas, int decadeStep) {
        /** The label of tick {@code v}, or "" when it carries none. */
        String format(double v) {
            int e = exponent(v);
            long m = Math.round(v / Math.pow(10, e));
            if (Math.floorMod(e, decadeStep) != 0) {
                return "";
            }
            for (int k : mantissas) {
                if (k == m) {
                    return label(v);
                }
            }
            return "";
        }
    }

    /**
     * Axis limits around positive data {@code lo..hi}: padded a little, then widened to the next
     * m·10^k outside until at least three such ticks lie inside.
     */
    static double[] limits(double lo, double hi) {
        if (!(lo > 0) || !(hi >= lo) || Double.isInfinite(hi)) {
            return new double[]{1, 10};
        }
        double span = Math.max(Math.log10(hi / lo), 0.5);
        double a = lo / Math.pow(10, Math.max(PAD * span, 0.02)), b = hi * Math.pow(10, Math.max(PAD * span, 0.02));
        boolean down = true;
        while (ticksInside(a, b) < 3) {
            if (down) {
                a = previousTick(a);
            } else {
                b = nextTick(b);
            }
            down = !down;
        }
        return new double[]{a, b};
    }

    /** The labelled mantissas for an axis of {@code pixelsPerDecade}, labels at least {@code minGap} px apart. */
    static Labels labels(double pixelsPerDecade, double minGap) {
        for (int[] set : SETS) {
            if (smallestGap(set) * pixelsPerDecade >= minGap) {
                return new Labels(set, 1);
            }
        }
        int step = (int) Math.ceil(minGap / Math.max(pixelsPerDecade, 1e-9));
        return new Labels(new int[]{1}, Math.max(step, 1));
    }

    /** Smallest log10 distance between consecutive labels of a set repeated every decade. */
    static double smallestGap(int[] set) {
        double g = Double.POSITIVE_INFINITY;
        for (int k = 0; k < set.length; k++) {
            double next = k + 1 < set.length ? set[k + 1] : 10.0 * set[0];
            g = Math.min(g, Math.log10(next / set[k]));
        }
        return g;
    }

    static int ticksInside(double a, double b) {
        int n = 0;
        for (int e = exponent(a); e <= exponent(b); e++) {
            for (int m = 1; m <= 9; m++) {
                double t = m * Math.pow(10, e);
                if (t >= a * (1 - 1e-12) && t <= b * (1 + 1e-12)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The largest m·10^k strictly below {@code v}. */
    static double previousTick(double v) {
        int e = exponent(v);
        double m = Math.ceil(v / Math.pow(10, e) - 1e-9) - 1;
        return m >= 1 ? m * Math.pow(10, e) : 9 * Math.pow(10, e - 1);
    }

    /** The smallest m·10^k strictly above {@code v}. */
    static double nextTick(double v) {
        int e = exponent(v);
        double m = Math.floor(v / Math.pow(10, e) + 1e-9) + 1;
        return m <= 9 ? m * Math.pow(10, e) : Math.pow(10, e + 1);
    }

    static int exponent(double v) {
        return (int) Math.floor(Math.log10(v) + 1e-9);
    }

    /** A short label: plain decimals from 0.001 to 99999, else mantissa and exponent ("2e-4"). */
    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.4f", v);
            s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
            return s;
        }
        int e = exponent(a);
        String m = String.format(Locale.ROOT, "%.2f", v / Math.pow(10, e)).replaceAll("0+$", "").replaceAll("\\.$", "");
        return m + "e" + e;
    }
}
