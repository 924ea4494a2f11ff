package org.diffeo4j.report;

import org.knowm.xchart.style.markers.Marker;

import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * Filled markers of a fixed diameter per series (XChart sizes markers per chart): the shape cycles
 * with the series' index so lines stay apart in grey print.
 */
final class Markers extends Marker {
    private final int shape;
    private final double size;

    private Markers(int shape, double size) {
        this.shape = shape;
        this.size = size;
    }

    /** Shape {@code index} mod 4 (circle, square, diamond, triangle) of {@code size} pixels. */
    static Marker of(int index, int size) {
        return new Markers(Math.floorMod(index, 4), size);
    }

    /** A plain circle (dots of a scatter). */
    static Marker dot(int size) {
        return new Markers(0, size);
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int ignored) {
        double h = size / 2;
        switch (shape) {
            case 0 -> g.fill(new Ellipse2D.Double(x - h, y - h, size, size));
            case 1 -> g.fill(new Rectangle2D.Double(x - h * 0.9, y - h * 0.9, size * 0.9, size * 0.9));
            case 2 -> g.fill(polygon(new double[]{x, x + h * 1.2, x, x - h * 1.2}, new double[]{y - h * 1.2, y, y + h * 1.2, y}));
            default -> g.fill(polygon(new double[]{x, x + h * 1.1, x - h * 1.1}, new double[]{y - h * 1.1, y + h * 0.9, y + h * 0.9}));
        }
    }

    private static Path2D polygon(double[] xs, double[] ys) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int k = 1; k < xs.length; k++) {
            p.lineTo(xs[k], ys[k]);
        }
        p.closePath();
        return p;
    }
}
