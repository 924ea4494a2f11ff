package org.diffeo4j.train.study;

import org.diffeo4j.report.Series;
import org.diffeo4j.train.study.Bootstrap.Estimate;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Bootstrap intervals and trust drawn with the report package's plain series, so the study's figures
 * need nothing of the plotting library: an interval is a bar with caps (one series, segments joined
 * by NaN breaks, out of the legend), a cell that did not converge is a hollow marker (a white centre
 * drawn over the filled one).
 */
final class Marks {
    /** Diameter of the white centre that hollows a 7-pixel marker. */
    private static final int HOLE = 4;
    /** Half a cap's length and the dodge between series, as fractions of the axis span. */
    static final double CAP = 0.008, DODGE = 0.007;

    private Marks() {
    }

    /** An axis' span, in decades on a log axis: what caps and dodges are fractions of. */
    record Axis(boolean log, double span) {
        /** The axis over {@code values} (non-finite and, on a log axis, non-positive values left out). */
        static Axis of(boolean log, double... values) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo > hi) {
                return new Axis(log, 1);
            }
            // the floors follow the padding of report's axes: half a decade, or a tenth of the value
            return new Axis(log, log ? Math.max(Math.log10(hi / lo), 0.5) : Math.max(hi - lo, Math.max(0.1 * Math.abs(hi), 1e-9)));
        }

        /** {@code v} moved by {@code fraction} of the span. */
        double move(double v, double fraction) {
            return log ? v * Math.pow(10, fraction * span) : v + fraction * span;
        }
    }

    /** The offset of series {@code k} of {@code n} that share x values, centred on the true x (ggplot's position_dodge). */
    static double dodge(int k, int n) {
        return (k - (n - 1) / 2.0) * DODGE;
    }

    /** {@code x} moved by {@code fraction} of the axis span. Not modified. */
    static double[] moved(double[] x, Axis axis, double fraction) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = axis.move(x[i], fraction);
        }
        return out;
    }

    /** Vertical bars of the intervals {@code y} at {@code x} with caps along x; null when no point has an interval. */
    static Series vertical(double[] x, Estimate[] y, Color c, Axis xAxis) {
        return bars(x, y, c, xAxis, false);
    }

    /** Horizontal bars of the intervals {@code x} at heights {@code y} with caps along y; null when none. */
    static Series horizontal(Estimate[] x, double[] y, Color c, Axis yAxis) {
        return bars(y, x, c, yAxis, true);
    }

    private static Series bars(double[] at, Estimate[] e, Color c, Axis across, boolean horizontal) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            if (e[i] == null || !e[i].hasInterval() || !Double.isFinite(at[i])) {
                continue;
            }
            double a = at[i], lo = e[i].lo(), hi = e[i].hi(), left = across.move(a, -CAP), right = across.move(a, CAP);
            double[][] seg = {{a, lo}, {a, hi}, {Double.NaN, Double.NaN}, {left, lo}, {right, lo}, {Double.NaN, Double.NaN},
                {left, hi}, {right, hi}, {Double.NaN, Double.NaN}};
            for (double[] p : seg) {
                pts.add(horizontal ? new double[]{p[1], p[0]} : p);
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        double[] x = new double[pts.size()], y = new double[pts.size()];
        for (int k = 0; k < pts.size(); k++) {
            x[k] = pts.get(k)[0];
            y[k] = pts.get(k)[1];
        }
        return Series.line(null, x, y, c).plain();
    }

    /** White centres over the points where {@code open} is true (hollow markers); null when none is. */
    static Series hollow(double[] x, double[] y, boolean[] open) {
        double[] hx = new double[x.length], hy = new double[x.length];
        boolean any = false;
        for (int i = 0; i < x.length; i++) {
            hx[i] = open[i] ? x[i] : Double.NaN;
            hy[i] = open[i] ? y[i] : Double.NaN;
            any |= open[i];
        }
        return any ? Series.dots(null, hx, hy, Color.WHITE, HOLE) : null;
    }

    /** Adds the series that are not null. */
    static void add(List<Series> to, Series... s) {
        for (Series x : s) {
            if (x != null) {
                to.add(x);
            }
        }
    }
}
