package org.diffeo4j.report;

import java.awt.Color;

/**
 * One data series of a {@link Plot}: a line, a dashed line or unconnected dots, with optional error
 * bars. Points whose x or y is NaN (or <= 0 on a log axis) are left out, and a line breaks there.
 *
 * @param label legend text (null: not in the legend)
 * @param x not modified
 * @param y not modified
 * @param lnSpread per point, the spread (standard deviation) of ln y over realisations; the bar
 *                 spans y e^-s .. y e^+s, the same on a log axis above and below the point. Null or
 *                 0 (one realisation): no bar. Not modified.
 * @param color the series' colour
 * @param stroke how points are joined
 * @param marker the marker diameter in pixels (0: none)
 */
public record Series(String label, double[] x, double[] y, double[] lnSpread, Color color, Stroke stroke, int marker) {
    /** How consecutive points are joined. */
    public enum Stroke { SOLID, DASHED, NONE }

    public Series {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("series x and y must have the same length, found "
                    + (x == null ? "null" : x.length) + " and " + (y == null ? "null" : y.length));
        }
        if (lnSpread != null && lnSpread.length != y.length) {
            throw new IllegalArgumentException("series lnSpread must have " + y.length + " values, found " + lnSpread.length);
        }
        if (color == null || stroke == null || marker < 0) {
            throw new IllegalArgumentException("series colour and stroke must be given and marker >= 0, found "
                    + color + ", " + stroke + ", " + marker);
        }
    }

    /** A solid line; markers at the points when there are few enough to tell apart (<= 30). */
    public static Series line(String label, double[] x, double[] y, Color color) {
        return new Series(label, x, y, null, color, Stroke.SOLID, x.length <= 30 ? 7 : 0);
    }

    /** Unconnected dots of the given diameter in pixels. */
    public static Series dots(String label, double[] x, double[] y, Color color, int diameter) {
        return new Series(label, x, y, null, color, Stroke.NONE, diameter);
    }

    /** The same series dashed. */
    public Series dashed() {
        return new Series(label, x, y, lnSpread, color, Stroke.DASHED, marker);
    }

    /** The same series without markers. */
    public Series plain() {
        return new Series(label, x, y, lnSpread, color, stroke, 0);
    }

    /** The same series with error bars from the spread of ln y. */
    public Series withLnSpread(double[] spread) {
        return new Series(label, x, y, spread, color, stroke, marker);
    }
}
