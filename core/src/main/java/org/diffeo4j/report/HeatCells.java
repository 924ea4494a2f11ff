package org.diffeo4j.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Plot.HeatMap} as XChart polygons on the panel's own axes (XChart's HeatMapChart has
 * category axes, so lines on log axes could not be drawn over it): one filled-polygon series per
 * colour band, ten bands of width 0.1 whose ranges the legend lists (a colour bar that can be read).
 */
final class HeatCells {
    static final int BANDS = 10;
    private static final Color NO_VALUE = new Color(0xbdbdbd);

    private HeatCells() {
    }

    /** Cell edges: halfway between centres (geometrically on a log axis), half a step beyond the ends. */
    static double[] edges(double[] c, boolean log) {
        double[] e = new double[c.length + 1];
        for (int k = 1; k < c.length; k++) {
            e[k] = log ? Math.sqrt(c[k - 1] * c[k]) : (c[k - 1] + c[k]) / 2;
        }
        if (c.length == 1) {
            e[0] = log ? c[0] / Math.sqrt(2) : c[0] - 0.5;
            e[1] = log ? c[0] * Math.sqrt(2) : c[0] + 0.5;
        } else {
            int n = c.length;
            e[0] = log ? c[0] * c[0] / e[1] : 2 * c[0] - e[1];
            e[n] = log ? c[n - 1] * c[n - 1] / e[n - 1] : 2 * c[n - 1] - e[n - 1];
        }
        return e;
    }

    /** Band of a value in [0, 1] (1 falls in the top band), -1 for NaN. */
    static int band(double v) {
        if (Double.isNaN(v)) {
            return -1;
        }
        return Math.max(0, Math.min(BANDS - 1, (int) Math.floor(v * BANDS)));
    }

    /** Adds the bands, top band first so the legend reads like a colour bar. */
    static void add(XYChart chart, Plot.HeatMap h, boolean logX, boolean logY) {
        double[] xe = edges(h.x(), logX), ye = edges(h.y(), logY);
        for (int b = BANDS - 1; b >= -1; b--) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < h.x().length; i++) {
                for (int j = 0; j < h.y().length; j++) {
                    if (band(h.values()[i][j]) == b) {
                        double[] cx = {xe[i], xe[i + 1], xe[i + 1], xe[i]}, cy = {ye[j], ye[j], ye[j + 1], ye[j + 1]};
                        for (int k = 0; k < 4; k++) {
                            xs.add(cx[k]);
                            ys.add(cy[k]);
                        }
                        xs.add(Double.NaN); // a NaN closes (and fills) the polygon
                        ys.add(Double.NaN);
                    }
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            String name = b < 0 ? h.label() + ": no value"
                    : String.format(Locale.ROOT, "%s %.1f-%.1f", h.label(), b / (double) BANDS, (b + 1) / (double) BANDS);
            Color c = b < 0 ? NO_VALUE : colormap((b + 0.5) / BANDS);
            XYSeries s = chart.addSeries(name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setFillColor(c);
            s.setLineColor(c); // outlines in the fill colour: no hairline gaps between cells
            s.setLineStyle(new BasicStroke(1f));
            s.setMarker(SeriesMarkers.NONE);
        }
    }

    /** Viridis (five anchors, interpolated): perceptually ordered and readable in grey. */
    static Color colormap(double v) {
        double[][] a = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double t = Math.max(0, Math.min(1, v)) * (a.length - 1);
        int k = Math.min((int) t, a.length - 2);
        double u = t - k;
        return new Color((int) Math.round(a[k][0] + u * (a[k + 1][0] - a[k][0])), (int) Math.round(a[k][1] + u * (a[k + 1][1] - a[k][1])),
                (int) Math.round(a[k][2] + u * (a[k + 1][2] - a[k][2])));
    }
}
