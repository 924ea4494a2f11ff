package org.diffeo4j.report;

import java.util.ArrayList;
import java.util.List;

/** A linear or logarithmic axis over the finite (and, for log, positive) values of its data. */
record Axis(double lo, double hi, boolean log) {
    static Axis of(double[] values, boolean log) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            lo = log ? 1 : 0;
            hi = log ? 10 : 1;
        }
        if (log) {
            double l = Math.log10(lo), h = Math.log10(hi);
            if (h - l < 1e-9) {
                l -= 0.5;
                h += 0.5;
            }
            return new Axis(Math.pow(10, l - 0.03 * (h - l)), Math.pow(10, h + 0.03 * (h - l)), true);
        }
        if (hi - lo < 1e-12) {
            lo -= 0.5;
            hi += 0.5;
        }
        double pad = 0.04 * (hi - lo);
        return new Axis(lo - pad, hi + pad, false);
    }

    boolean valid(double v) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    double frac(double v) {
        return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
    }

    List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        if (log) {
            int a = (int) Math.ceil(Math.log10(lo) - 1e-9), b = (int) Math.floor(Math.log10(hi) + 1e-9);
            int step = Math.max(1, (b - a + 1) / 8);
            for (int k = a; k <= b; k += step) {
                t.add(Math.pow(10, k));
            }
            if (t.size() < 2) { // less than a decade: label 2 and 5 too
                for (int k = a - 1; k <= b; k++) {
                    for (int m : new int[]{2, 5}) {
                        double v = m * Math.pow(10, k);
                        if (v >= lo && v <= hi) {
                            t.add(v);
                        }
                    }
                }
            }
            return t;
        }
        double raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return t;
    }

    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            String s = String.format("%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
        int e = (int) Math.floor(Math.log10(a));
        double m = v / Math.pow(10, e);
        return Math.abs(m - 1) < 1e-9 ? "1e" + e : String.format("%.0fe%d", m, e);
    }
}
