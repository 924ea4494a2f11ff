package org.diffeo4j.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished figure: one or more XChart panels side by side, written as PNG and as SVG (XChart's
 * encoders for one panel; the same painting into VectorGraphics2D, the SVG writer XChart's encoder
 * uses, for several). Make one with {@link Plots} or {@link DeformGrid}.
 */
public final class Figure {
    private final List<IChart> panels;
    private final int width, height;

    Figure(List<IChart> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("figure panels must be at least 1, found 0");
        }
        this.panels = List.copyOf(panels);
        this.width = panels.stream().mapToInt(IChart::getWidth).sum();
        this.height = panels.stream().mapToInt(IChart::getHeight).max().orElseThrow();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The figure as an image. */
    public BufferedImage image() {
        if (panels.size() == 1) {
            return BitmapEncoder.getBufferedImage(panels.get(0));
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        paint(g);
        g.dispose();
        return img;
    }

    /** PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image(), "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** SVG text. */
    public String svg() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (panels.size() == 1) {
                VectorGraphicsEncoder.saveVectorGraphic(panels.get(0), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                VectorGraphics2D g = new VectorGraphics2D();
                paint(g);
                new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@code png} and the SVG beside it ({@link #svgBeside}), each atomically. */
    public void write(Path png) throws IOException {
        Files2.writeBytes(png, png());
        Files2.writeString(svgBeside(png), svg());
    }

    /** {@code name.png} -> {@code name.svg}. */
    public static Path svgBeside(Path png) {
        String n = png.getFileName().toString();
        return png.resolveSibling((n.endsWith(".png") ? n.substring(0, n.length() - 4) : n) + ".svg");
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (IChart c : panels) {
            Graphics2D sub = (Graphics2D) g.create(x, 0, c.getWidth(), c.getHeight());
            c.paint(sub, c.getWidth(), c.getHeight());
            sub.dispose();
            x += c.getWidth();
        }
    }
}
