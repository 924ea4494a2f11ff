package org.diffeo4j.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A {@link Plot} as an XChart {@link XYChart}: the one place that knows XChart's XY API. */
final class XyCharts {
    static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[]{7f, 5f}, 0f);
    private static final BasicStroke BAR = new BasicStroke(1.3f);
    /** Offset between the error bars of neighbouring series, as a fraction of the x axis. */
    static final double DODGE = 0.006;
    /** Minimum distance between tick labels, pixels: a label's height on y, a short number's width on x. */
    private static final double GAP_Y = 18, GAP_X = 42;

    private XyCharts() {
    }

    /** Where the legend goes: always outside the data. */
    enum Legend { RIGHT, BELOW }

    static XYChart build(Plot p, int width, int height, Legend legend) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(p.title())
                .xAxisTitle(p.x().label()).yAxisTitle(p.y().label()).build();
        style(chart.getStyler(), legend);
        XYStyler st = chart.getStyler();
        st.setXAxisLogarithmic(p.x().log()).setYAxisLogarithmic(p.y().log());
        st.setXAxisLogarithmicDecadeOnly(false);
        st.setYAxisLogarithmicDecadeOnly(false);
        Range rx = new Range(p.x().log()), ry = new Range(p.y().log());
        if (p.heat() != null) {
            // cells fill the panel exactly: the limits are the outer cell edges
            double[] xe = HeatCells.edges(p.heat().x(), p.x().log()), ye = HeatCells.edges(p.heat().y(), p.y().log());
            rx.fix(xe[0], xe[xe.length - 1]);
            ry.fix(ye[0], ye[ye.length - 1]);
            HeatCells.add(chart, p.heat(), p.x().log(), p.y().log());
        }
        List<double[][]> kept = new ArrayList<>();
        Set<String> names = new HashSet<>(); // series names must be unique in XChart
        for (Series s : p.series()) {
            double[][] xy = usable(s, p.x().log(), p.y().log());
            kept.add(xy);
            rx.add(xy[0]);
            ry.add(xy[1]);
            ry.add(xy[2]);
            ry.add(xy[3]);
        }
        double[] lx = rx.limits(), ly = ry.limits();
        dodge(p.series(), kept, p.x().log(), lx);
        st.setXAxisMin(lx[0]).setXAxisMax(lx[1]);
        st.setYAxisMin(ly[0]).setYAxisMax(ly[1]);
        for (int k = 0; k < p.series().size(); k++) {
            add(chart, names, p.series().get(k), kept.get(k), k, p.x().log(), lx);
        }
        if (names.isEmpty()) { // XChart needs a series to lay out its axes
            chart.addSeries("no data", new double[]{lx[0]}, new double[]{ly[0]}).setMarker(SeriesMarkers.NONE).setShowInLegend(false);
        }
        labelLogAxes(chart, p, lx, ly);
        return chart;
    }

    private static void style(XYStyler st, Legend legend) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        st.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderColor(Color.DARK_GRAY);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14)).setChartTitleBoxVisible(false);
        st.setLegendFont(base).setLegendBorderColor(Color.GRAY).setLegendBackgroundColor(Color.WHITE);
        st.setLegendPosition(legend == Legend.RIGHT ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        st.setLegendLayout(legend == Legend.RIGHT ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        st.setLegendSeriesLineLength(28);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13)).setAxisTickLabelsFont(base);
        st.setPlotGridLinesColor(new Color(0xdddddd)).setPlotGridLinesStroke(new BasicStroke(0.8f));
        st.setAxisTickMarkLength(4);
        st.setPlotContentSize(1.0); // the limits already carry the padding
        st.setPlotMargin(0);
        st.setChartPadding(8);
        st.setMarkerSize(7);
        st.setAntiAlias(true).setTextAntiAlias(true);
    }

    /**
     * The finite points of a series (positive on log axes): x, y, and the bar ends y e^-s, y e^+s
     * (NaN where there is no bar).
     */
    static double[][] usable(Series s, boolean logX, boolean logY) {
        int n = s.x().length;
        double[][] out = new double[4][n];
        for (int k = 0; k < n; k++) {
            double x = s.x()[k], y = s.y()[k];
            boolean ok = Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
            out[0][k] = x;
            out[1][k] = ok ? y : Double.NaN;
            double sp = s.lnSpread() == null ? 0 : s.lnSpread()[k];
            boolean bar = ok && Double.isFinite(sp) && sp > 0;
            out[2][k] = bar ? y * Math.exp(-sp) : Double.NaN;
            out[3][k] = bar ? y * Math.exp(sp) : Double.NaN;
        }
        return out;
    }

    private static void add(XYChart chart, Set<String> names, Series s, double[][] xy, int index, boolean logX, double[] lx) {
        boolean any = false;
        for (double v : xy[1]) {
            any |= !Double.isNaN(v);
        }
        if (!any) {
            return;
        }
        String name = unique(names, s.label() == null ? " " : s.label());
        XYSeries x = chart.addSeries(name, xy[0], xy[1]);
        x.setShowInLegend(s.label() != null);
        x.setLineColor(s.color());
        x.setMarkerColor(s.color());
        x.setMarker(s.marker() > 0 ? (s.stroke() == Series.Stroke.NONE ? Markers.dot(s.marker()) : Markers.of(index, s.marker())) : SeriesMarkers.NONE);
        switch (s.stroke()) {
            case SOLID -> x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setLineStyle(SOLID);
            case DASHED -> x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setLineStyle(DASHED);
            case NONE -> x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        double[][] bars = bars(xy, logX, lx);
        if (bars[0].length > 0) {
            XYSeries b = chart.addSeries(unique(names, name + " (spread)"), bars[0], bars[1]);
            b.setShowInLegend(false);
            b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setLineStyle(BAR);
            b.setLineColor(s.color());
            b.setMarker(SeriesMarkers.NONE);
        }
    }

    /**
     * Series with error bars are set apart along x by {@link #DODGE} of the axis each, centred on the
     * true x, so that bars at the same x stay readable (ggplot's position_dodge); others stay put.
     */
    static void dodge(List<Series> series, List<double[][]> kept, boolean logX, double[] lx) {
        List<double[][]> barred = new ArrayList<>();
        for (double[][] xy : kept) {
            for (double lo : xy[2]) {
                if (!Double.isNaN(lo)) {
                    barred.add(xy);
                    break;
                }
            }
        }
        double span = logX ? Math.log10(lx[1] / lx[0]) : lx[1] - lx[0];
        for (int k = 0; k < barred.size() && barred.size() > 1; k++) {
            double shift = (k - (barred.size() - 1) / 2.0) * DODGE * span;
            double[] x = barred.get(k)[0];
            for (int i = 0; i < x.length; i++) {
                x[i] = logX ? x[i] * Math.pow(10, shift) : x[i] + shift;
            }
        }
    }

    /** Error bars as segments joined by NaN breaks: a vertical bar and two caps per point. */
    static double[][] bars(double[][] xy, boolean logX, double[] lx) {
        double cap = 0.008 * (logX ? Math.log10(lx[1] / lx[0]) : lx[1] - lx[0]);
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < xy[0].length; k++) {
            double x = xy[0][k], lo = xy[2][k], hi = xy[3][k];
            if (Double.isNaN(lo)) {
                continue;
            }
            double left = logX ? x / Math.pow(10, cap) : x - cap, right = logX ? x * Math.pow(10, cap) : x + cap;
            double[][] seg = {{x, lo}, {x, hi}, {Double.NaN, Double.NaN}, {left, lo}, {right, lo}, {Double.NaN, Double.NaN},
                {left, hi}, {right, hi}, {Double.NaN, Double.NaN}};
            for (double[] p : seg) {
                pts.add(p);
            }
        }
        double[][] out = new double[2][pts.size()];
        for (int k = 0; k < pts.size(); k++) {
            out[0][k] = pts.get(k)[0];
            out[1][k] = pts.get(k)[1];
        }
        return out;
    }

    private static String unique(Set<String> names, String name) {
        String n = name;
        while (!names.add(n)) {
            n = n + " ";
        }
        return n;
    }

    /**
     * Log-axis labels thinned to what the measured axis length holds: the chart is laid out once
     * to measure pixels per decade, then its tick labels are chosen (see {@link LogTicks}).
     */
    private static void labelLogAxes(XYChart chart, Plot p, double[] lx, double[] ly) {
        if (!p.x().log() && !p.y().log()) {
            return;
        }
        BufferedImage scratch = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
        if (p.x().log()) {
            double px = Math.abs(chart.getScreenXFromChart(lx[1]) - chart.getScreenXFromChart(lx[0])) / Math.log10(lx[1] / lx[0]);
            LogTicks.Labels l = LogTicks.labels(px, GAP_X);
            chart.getStyler().setXAxisTickLabelsFormattingFunction(l::format);
        }
        if (p.y().log()) {
            double py = Math.abs(chart.getScreenYFromChart(ly[1]) - chart.getScreenYFromChart(ly[0])) / Math.log10(ly[1] / ly[0]);
            LogTicks.Labels l = LogTicks.labels(py, GAP_Y);
            chart.getStyler().setYAxisTickLabelsFormattingFunction(l::format);
        }
    }

    /** The data range of one axis and the limits drawn. */
    private static final class Range {
        private final boolean log;
        private double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        private double[] fixed;

        Range(boolean log) {
            this.log = log;
        }

        void fix(double a, double b) {
            fixed = new double[]{a, b};
        }

        void add(double[] v) {
            for (double d : v) {
                if (Double.isFinite(d) && (!log || d > 0)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }

        double[] limits() {
            if (fixed != null) {
                return fixed;
            }
            if (log) {
                return LogTicks.limits(lo, hi);
            }
            if (lo > hi) {
                return new double[]{0, 1};
            }
            double pad = hi > lo ? 0.04 * (hi - lo) : Math.max(0.5, Math.abs(lo) * 0.1);
            return new double[]{lo - pad, hi + pad};
        }
    }
}
