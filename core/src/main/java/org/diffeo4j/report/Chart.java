package org.diffeo4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A small line/heat-map chart rendered with Java2D (headless). Enough for the paper's figures:
 * log-log axes, one line per series, an optional heat map under them with a colour bar.
 */
public final class Chart {
    /** One line. NaN points are skipped (the line breaks there). */
    public record Series(String label, double[] x, double[] y, Color color, boolean dashed) {
    }

    /** Unconnected dots of radius {@code radius} pixels (a scatter plot); NaN points are skipped. */
    public record Scatter(String label, double[] x, double[] y, Color color, int radius) {
    }

    /** Cell values on a grid of centres {@code x[i]}, {@code y[j]}: {@code values[i][j]} in [0, 1]. */
    public record HeatMap(double[] x, double[] y, double[][] values, String label) {
    }

    /** Colours that stay distinct in print. */
    public static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private final String title, xLabel, yLabel;
    private final boolean logX, logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Scatter> scatters = new ArrayList<>();
    private HeatMap heat;

    public Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** Adds dots, drawn under the lines. */
    public Chart add(Scatter s) {
        scatters.add(s);
        return this;
    }

    public Chart heatMap(HeatMap h) {
        this.heat = h;
        return this;
    }

    /** Renders at {@code width x height} pixels. */
    public BufferedImage render(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 80, right = heat != null ? 110 : 20, top = 40, bottom = 60;
        Axis ax = Axis.of(collect(true), logX), ay = Axis.of(collect(false), logY);
        Frame f = new Frame(left, top, width - left - right, height - top - bottom, ax, ay);
        if (heat != null) {
            drawHeat(g, f);
        }
        drawAxes(g, f);
        for (Scatter s : scatters) {
            drawScatter(g, f, s);
        }
        for (Series s : series) {
            drawSeries(g, f, s);
        }
        drawLegend(g, f);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 25);
        g.dispose();
        return img;
    }

    private record Frame(int x, int y, int w, int h, Axis ax, Axis ay) {
        double px(double v) {
            return x + ax.frac(v) * w;
        }

        double py(double v) {
            return y + h - ay.frac(v) * h;
        }
    }

    private double[] collect(boolean xs) {
        List<Double> v = new ArrayList<>();
        for (Series s : series) {
            for (double d : xs ? s.x : s.y) {
                v.add(d);
            }
        }
        for (Scatter s : scatters) {
            for (double d : xs ? s.x : s.y) {
                v.add(d);
            }
        }
        if (heat != null) {
            double[] c = xs ? heat.x : heat.y;
            // the heat map's cells extend half a step beyond the outer centres
            v.add(edge(c, true, xs ? logX : logY));
            v.add(edge(c, false, xs ? logX : logY));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double edge(double[] c, boolean low, boolean log) {
        if (c.length < 2) {
            return c[0];
        }
        if (log) {
            return low ? c[0] * Math.sqrt(c[0] / c[1]) : c[c.length - 1] * Math.sqrt(c[c.length - 1] / c[c.length - 2]);
        }
        return low ? c[0] - (c[1] - c[0]) / 2 : c[c.length - 1] + (c[c.length - 1] - c[c.length - 2]) / 2;
    }

    private void drawHeat(Graphics2D g, Frame f) {
        double[] xe = edges(heat.x, logX), ye = edges(heat.y, logY);
        for (int i = 0; i < heat.x.length; i++) {
            for (int j = 0; j < heat.y.length; j++) {
                double v = heat.values[i][j];
                g.setColor(Double.isNaN(v) ? Color.LIGHT_GRAY : colormap(v));
                int x0 = (int) Math.floor(f.px(xe[i])), x1 = (int) Math.ceil(f.px(xe[i + 1]));
                int y0 = (int) Math.floor(f.py(ye[j + 1])), y1 = (int) Math.ceil(f.py(ye[j]));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
            }
        }
        int bx = f.x + f.w + 20, by = f.y, bh = f.h;
        for (int k = 0; k < bh; k++) {
            g.setColor(colormap(1 - k / (double) (bh - 1)));
            g.fillRect(bx, by + k, 18, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bx, by, 18, bh);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k <= 4; k++) {
            g.drawString(String.format("%.2f", 1 - k / 4.0), bx + 22, by + (int) (k / 4.0 * bh) + 4);
        }
        AffineTransform old = g.getTransform();
        g.rotate(Math.PI / 2, bx + 68, by + bh / 2.0);
        g.drawString(heat.label, bx + 68 - g.getFontMetrics().stringWidth(heat.label) / 2, by + bh / 2);
        g.setTransform(old);
    }

    private static double[] edges(double[] c, boolean log) {
        double[] e = new double[c.length + 1];
        e[0] = edge(c, true, log);
        e[c.length] = edge(c, false, log);
        for (int k = 1; k < c.length; k++) {
            e[k] = log ? Math.sqrt(c[k - 1] * c[k]) : (c[k - 1] + c[k]) / 2;
        }
        return e;
    }

    /** A perceptually ordered blue-to-yellow map (viridis-like, 5 anchors). */
    static Color colormap(double v) {
        double[][] a = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double t = Math.max(0, Math.min(1, v)) * (a.length - 1);
        int k = Math.min((int) t, a.length - 2);
        double u = t - k;
        return new Color((int) (a[k][0] + u * (a[k + 1][0] - a[k][0])), (int) (a[k][1] + u * (a[k + 1][1] - a[k][1])),
                (int) (a[k][2] + u * (a[k + 1][2] - a[k][2])));
    }

    private void drawAxes(Graphics2D g, Frame f) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(f.x, f.y, f.w, f.h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t : f.ax.ticks()) {
            int px = (int) Math.round(f.px(t));
            g.drawLine(px, f.y + f.h, px, f.y + f.h - 5);
            String s = Axis.label(t);
            g.drawString(s, px - g.getFontMetrics().stringWidth(s) / 2, f.y + f.h + 16);
        }
        for (double t : f.ay.ticks()) {
            int py = (int) Math.round(f.py(t));
            g.drawLine(f.x, py, f.x + 5, py);
            String s = Axis.label(t);
            g.drawString(s, f.x - 6 - g.getFontMetrics().stringWidth(s), py + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, f.x + f.w / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, f.y + f.h + 40);
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2, 22, f.y + f.h / 2.0);
        g.drawString(yLabel, 22 - g.getFontMetrics().stringWidth(yLabel) / 2, f.y + f.h / 2 + 4);
        g.setTransform(old);
    }

    private void drawSeries(Graphics2D g, Frame f, Series s) {
        g.setColor(s.color);
        g.setStroke(s.dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[]{7f, 5f}, 0f)
                : new BasicStroke(2f));
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        java.awt.Shape clip = g.getClip();
        g.clipRect(f.x, f.y, f.w + 1, f.h + 1);
        for (int k = 0; k < s.x.length; k++) {
            boolean ok = f.ax.valid(s.x[k]) && f.ay.valid(s.y[k]);
            if (!ok) {
                pen = false;
                continue;
            }
            double px = f.px(s.x[k]), py = f.py(s.y[k]);
            if (pen) {
                p.lineTo(px, py);
            } else {
                p.moveTo(px, py);
                pen = true;
            }
            if (s.x.length <= 30) {
                g.fillOval((int) px - 3, (int) py - 3, 6, 6);
            }
        }
        g.draw(p);
        g.setClip(clip);
    }

    private void drawScatter(Graphics2D g, Frame f, Scatter s) {
        java.awt.Shape clip = g.getClip();
        g.clipRect(f.x, f.y, f.w + 1, f.h + 1);
        g.setColor(s.color);
        int r = s.radius;
        for (int k = 0; k < s.x.length; k++) {
            if (f.ax.valid(s.x[k]) && f.ay.valid(s.y[k])) {
                g.fillOval((int) Math.round(f.px(s.x[k])) - r, (int) Math.round(f.py(s.y[k])) - r, 2 * r, 2 * r);
            }
        }
        g.setClip(clip);
    }

    private void drawLegend(Graphics2D g, Frame f) {
        if (series.isEmpty() && scatters.isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int lw = 0;
        for (Series s : series) {
            lw = Math.max(lw, g.getFontMetrics().stringWidth(s.label));
        }
        for (Scatter s : scatters) {
            lw = Math.max(lw, g.getFontMetrics().stringWidth(s.label));
        }
        int entries = series.size() + scatters.size();
        int x = f.x + f.w - lw - 50, y = f.y + 8;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(x - 6, y - 4, lw + 48, entries * 18 + 6);
        g.setColor(Color.GRAY);
        g.drawRect(x - 6, y - 4, lw + 48, entries * 18 + 6);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(s.color);
            g.setStroke(s.dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[]{7f, 5f}, 0f)
                    : new BasicStroke(2f));
            g.drawLine(x, y + 9 + k * 18, x + 30, y + 9 + k * 18);
            g.setColor(Color.BLACK);
            g.drawString(s.label, x + 36, y + 13 + k * 18);
        }
        for (int k = 0; k < scatters.size(); k++) {
            Scatter s = scatters.get(k);
            int row = series.size() + k;
            g.setColor(s.color);
            g.fillOval(x + 15 - 3, y + 9 + row * 18 - 3, 6, 6);
            g.setColor(Color.BLACK);
            g.drawString(s.label, x + 36, y + 13 + row * 18);
        }
    }

    /** Writes the chart as PNG (atomically). */
    public void writePng(java.nio.file.Path path, int width, int height) throws java.io.IOException {
        Files2.writePng(render(width, height), path);
    }
}
