package org.diffeo4j.report;

import org.knowm.xchart.internal.chartpart.IChart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures from {@link Plot} descriptions, drawn by XChart: log axes with labelled ticks inside the
 * data's range, legends outside the data, error bars from the spread of ln y, SVG beside PNG
 * ({@link Figure#write}). Commands describe what to draw; only this package knows the library.
 */
public final class Plots {
    /** Colours that stay distinct in print (matplotlib's tab10). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private Plots() {
    }

    /** The {@code k}-th colour of the palette (cycles). */
    public static Color colour(int k) {
        return PALETTE[Math.floorMod(k, PALETTE.length)];
    }

    /** One panel of {@code width x height} pixels, its legend right of the data. */
    public static Figure figure(Plot plot, int width, int height) {
        return new Figure(List.of(XyCharts.build(plot, width, height, XyCharts.Legend.RIGHT)));
    }

    /** Panels side by side, each {@code width x height} pixels, legends below the data. */
    public static Figure row(List<Plot> plots, int width, int height) {
        List<IChart> charts = new ArrayList<>();
        for (Plot p : plots) {
            charts.add(XyCharts.build(p, width, height, XyCharts.Legend.BELOW));
        }
        return new Figure(charts);
    }
}
