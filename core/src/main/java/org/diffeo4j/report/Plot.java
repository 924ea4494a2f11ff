package org.diffeo4j.report;

import java.util.List;

/**
 * One panel of a figure, described without any plotting library's types: axes, the series drawn
 * over them and an optional heat map under them. {@link Plots} turns panels into a {@link Figure}.
 *
 * @param title the panel's title
 * @param x the horizontal axis
 * @param y the vertical axis
 * @param series drawn in order, the first under the others; copied
 * @param heat cells drawn under the series, or null
 */
public record Plot(String title, Axis x, Axis y, List<Series> series, HeatMap heat) {
    public Plot {
        if (title == null || x == null || y == null || series == null) {
            throw new IllegalArgumentException("plot title, axes and series must be given, found a null");
        }
        series = List.copyOf(series);
    }

    /** A panel of series with no heat map. */
    public static Plot of(String title, Axis x, Axis y, List<Series> series) {
        return new Plot(title, x, y, series, null);
    }

    /**
     * An axis.
     *
     * @param label the axis title
     * @param log logarithmic (values <= 0 are left out of the panel)
     */
    public record Axis(String label, boolean log) {
        public Axis {
            if (label == null) {
                throw new IllegalArgumentException("axis label must be given, found null");
            }
        }

        public static Axis log(String label) {
            return new Axis(label, true);
        }

        public static Axis linear(String label) {
            return new Axis(label, false);
        }
    }

    /**
     * Cell values on a grid of centres: {@code values[i][j]} at {@code (x[i], y[j])}, in [0, 1] (NaN:
     * no value). Cells reach halfway to their neighbours (geometrically on a log axis) and are drawn in
     * ten colour bands whose ranges the legend lists.
     *
     * @param label what the value is, e.g. "P(diffeo)": the legend's entries start with it
     */
    public record HeatMap(double[] x, double[] y, double[][] values, String label) {
        public HeatMap {
            if (x.length < 1 || y.length < 1 || values.length != x.length) {
                throw new IllegalArgumentException("heat map values must be [" + x.length + "][" + y.length + "], found " + values.length + " rows");
            }
            for (double[] row : values) {
                if (row.length != y.length) {
                    throw new IllegalArgumentException("heat map rows must have " + y.length + " values, found " + row.length);
                }
            }
        }
    }
}
