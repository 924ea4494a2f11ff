package org.diffeo4j.report;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;
import org.knowm.xchart.AnnotationImage;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Fig. 1 drawn by XChart: one deformed image per (temperature row, cut-off column) at
 * the cell's axis position, images scaled by one factor in both directions (their aspect ratio
 * kept), cells inside the natural region T_min(c) <= T <= T_max(c) framed.
 */
public final class DeformGrid {
    private static final Color FRAME = new Color(0xd62728);
    /** Fraction of a cell's pitch an image may take (the rest separates neighbours and frames). */
    private static final double FILL = 0.86;
    /** Room for the row labels ("T = 7.07e-5") and the column labels, pixels. */
    private static final int LABEL_W = 90, LABEL_H = 26;

    private DeformGrid() {
    }

    /**
     * @param cells {@code cells[row][col]} a batch whose sample 0 is shown, all of one shape; not modified
     * @param temperatures one per row, top row first
     * @param natural {@code natural[row][col]} frames the cell
     * @param cell the longer side of an image in the figure, pixels (nearest-neighbour scaling)
     */
    public static Figure figure(String title, ImageBatch[][] cells, double[] temperatures, int[] cuts,
                                boolean[][] natural, int cell) {
        String[] rowLabels = new String[temperatures.length], colLabels = new String[cuts.length];
        for (int r = 0; r < rowLabels.length; r++) {
            rowLabels[r] = "T = " + LogTicks.label(temperatures[r]);
        }
        for (int c = 0; c < colLabels.length; c++) {
            colLabels[c] = "c = " + cuts[c];
        }
        return grid(title, "cut-off c", "temperature T", cells, rowLabels, colLabels, natural, cell);
    }

    /**
     * A sheet of images with a label per row and per column and no frames (augmentation samples:
     * a row per input, a column per sample), drawn like {@link #figure}, aspect ratio kept.
     *
     * @param cells {@code cells[row][col]} a batch whose sample 0 is shown, all of one shape; not modified
     */
    public static Figure sheet(String title, String xTitle, String yTitle, ImageBatch[][] cells, String[] rowLabels,
                               String[] colLabels, int cell) {
        return grid(title, xTitle, yTitle, cells, rowLabels, colLabels, null, null, cell);
    }

    /**
     * {@link #sheet} with a caption under every image ({@code captions[row][col]}, e.g. the class a net
     * predicts for it; null or empty: none).
     */
    public static Figure sheet(String title, String xTitle, String yTitle, ImageBatch[][] cells, String[] rowLabels,
                               String[] colLabels, String[][] captions, int cell) {
        return grid(title, xTitle, yTitle, cells, rowLabels, colLabels, null, captions, cell);
    }

    /** Room under an image for its caption, pixels. */
    private static final int CAPTION_H = 18;

    private static Figure grid(String title, String xTitle, String yTitle, ImageBatch[][] cells, String[] rowLabels,
                               String[] colLabels, boolean[][] natural, int cell) {
        return grid(title, xTitle, yTitle, cells, rowLabels, colLabels, natural, null, cell);
    }

    private static Figure grid(String title, String xTitle, String yTitle, ImageBatch[][] cells, String[] rowLabels,
                               String[] colLabels, boolean[][] natural, String[][] captions, int cell) {
        int rows = rowLabels.length, cols = colLabels.length;
        int w = cells[0][0].width(), h = cells[0][0].height();
        double scale = cell / (double) Math.max(w, h);
        int pitchX = (int) Math.ceil(w * scale / FILL), pitchY = (int) Math.ceil(h * scale / FILL) + (captions == null ? 0 : CAPTION_H);
        // A label column left of the images and a label row above them, in axis units: XChart's own
        // tick labels need distinct texts at evenly spaced ticks, which a grid of cells does not have.
        double left = LABEL_W / (double) pitchX, top = LABEL_H / (double) pitchY;
        XYChart chart = new XYChartBuilder().width(60 + LABEL_W + cols * pitchX).height(120 + LABEL_H + rows * pitchY).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisMin(-0.5 - left).setXAxisMax(cols - 0.5).setYAxisMin(-0.5).setYAxisMax(rows - 0.5 + top);
        XYSeries layout = chart.addSeries("layout", new double[]{0, cols - 1}, new double[]{0, rows - 1}); // XChart lays out axes from a series
        layout.setMarker(SeriesMarkers.NONE);
        layout.setLineStyle(SeriesLines.NONE);
        layout.setShowInLegend(false);
        // measure the laid-out units, then size the images to them (one factor for x and y)
        paintOnce(chart);
        double ux = Math.abs(chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0));
        double uy = Math.abs(chart.getScreenYFromChart(1) - chart.getScreenYFromChart(0));
        double s = Math.min(FILL * ux / w, FILL * (uy - (captions == null ? 0 : CAPTION_H)) / h);
        int dw = Math.max(1, (int) Math.round(w * s)), dh = Math.max(1, (int) Math.round(h * s));
        List<double[]> frames = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            chart.addAnnotation(new AnnotationText(colLabels[c], c, rows - 0.5 + top / 2, false));
        }
        for (int r = 0; r < rows; r++) {
            double y = rows - 1 - r; // first row on top
            chart.addAnnotation(new AnnotationText(rowLabels[r], -0.5 - left / 2, y, false));
            for (int c = 0; c < cols; c++) {
                double shift = captions == null ? 0 : CAPTION_H / 2.0 / uy; // the image up, its caption under it
                chart.addAnnotation(new AnnotationImage(scaled(ImageFiles.toImage(cells[r][c], 0), dw, dh), c, y + shift, false));
                if (captions != null && captions[r][c] != null && !captions[r][c].isEmpty()) {
                    chart.addAnnotation(new AnnotationText(captions[r][c], c, y + shift - (dh / 2.0 + CAPTION_H / 2.0) / uy, false));
                }
                if (natural != null && natural[r][c]) {
                    double hx = (dw / 2.0 + 4) / ux, hy = (dh / 2.0 + 4) / uy;
                    frames.add(new double[]{c - hx, y - hy, c + hx, y + hy});
                }
            }
        }
        if (!frames.isEmpty()) {
            addFrames(chart, frames);
        }
        chart.getStyler().setLegendVisible(!frames.isEmpty()); // nothing to explain without frames
        return new Figure(List.of(chart));
    }

    private static void style(XYStyler st) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        st.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14)).setChartTitleBoxVisible(false);
        st.setLegendPosition(Styler.LegendPosition.OutsideS).setLegendFont(base).setLegendBorderColor(Color.GRAY);
        st.setAnnotationTextFont(base).setAnnotationTextFontColor(Color.BLACK);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setPlotGridLinesVisible(false);
        st.setAxisTicksVisible(false);
        st.setPlotMargin(0);
        st.setPlotContentSize(1.0).setChartPadding(8);
    }

    private static void addFrames(XYChart chart, List<double[]> frames) {
        double[] x = new double[frames.size() * 6], y = new double[frames.size() * 6];
        int k = 0;
        for (double[] f : frames) {
            double[][] corners = {{f[0], f[1]}, {f[2], f[1]}, {f[2], f[3]}, {f[0], f[3]}, {f[0], f[1]}, {Double.NaN, Double.NaN}};
            for (double[] p : corners) {
                x[k] = p[0];
                y[k++] = p[1];
            }
        }
        XYSeries s = chart.addSeries("natural region T_min(c) <= T <= T_max(c)", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(FRAME);
        s.setLineStyle(new BasicStroke(2.5f));
        s.setMarker(SeriesMarkers.NONE);
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static void paintOnce(XYChart chart) {
        BufferedImage scratch = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
    }
}
