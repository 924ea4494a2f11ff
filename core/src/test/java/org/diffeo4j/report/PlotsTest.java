package org.diffeo4j.report;

import org.diffeo4j.data.ImageBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    @TempDir
    Path dir;

    /** A delta sweep like the README's: R_f of 7-13 on log axes, two cuts, spreads of ln R_f. */
    private static Plot sweep(String title) {
        double[] d = {0.25, 0.5, 1, 2, 4};
        return Plot.of(title, Plot.Axis.log("delta (pixels)"), Plot.Axis.log("R_f"), List.of(
                Series.line("c = 3", d, new double[]{7.1, 7.6, 8.7, 11, 13}, Plots.colour(0)).withLnSpread(new double[]{0.1, 0.1, 0.05, 0.2, 0.1}),
                Series.line("c = 5", d, new double[]{7.3, 7.7, 9.0, 10.5, 12.5}, Plots.colour(1)).dashed()));
    }

    @Test
    void oneAndSeveralPanelsWritePngAndSvg() throws Exception {
        Figure one = Plots.figure(sweep("R_f"), 640, 480);
        one.write(dir.resolve("one.png"));
        BufferedImage a = FigureChecks.pngAndSvg(dir.resolve("one.png"), 640, 480);
        assertEquals(640, a.getWidth());
        Figure three = Plots.row(List.of(sweep("a"), sweep("b"), sweep("c")), 500, 400);
        three.write(dir.resolve("three.png"));
        BufferedImage b = FigureChecks.pngAndSvg(dir.resolve("three.png"), 1500, 400);
        assertEquals(1500, b.getWidth());
        assertEquals(400, b.getHeight());
        // the series colours are drawn in every panel
        for (int p = 0; p < 3; p++) {
            assertTrue(FigureChecks.count(b.getSubimage(p * 500, 0, 500, 400), Plots.colour(0).getRGB()) > 50, "panel " + p);
        }
    }

    @Test
    void nonPositiveAndNaNPointsAreLeftOutOfLogPanels() throws Exception {
        Plot p = Plot.of("gaps", Plot.Axis.log("x"), Plot.Axis.log("y"), List.of(
                Series.line("with gaps", new double[]{1, 2, 3, 4}, new double[]{1, Double.NaN, -1, 4}, Color.BLUE),
                Series.line("nothing drawable", new double[]{1}, new double[]{0}, Color.RED)));
        Figure f = Plots.figure(p, 400, 300);
        FigureChecks.svg(f.svg());
        assertTrue(f.png().length > 1000);
    }

    @Test
    void errorBarsSpanTheSpreadOfLn() {
        Series s = Series.line("s", new double[]{1, 2}, new double[]{10, 20}, Color.BLACK).withLnSpread(new double[]{0.5, 0});
        double[][] xy = XyCharts.usable(s, true, true);
        assertEquals(10 * Math.exp(-0.5), xy[2][0], 1e-12);
        assertEquals(10 * Math.exp(0.5), xy[3][0], 1e-12);
        assertTrue(Double.isNaN(xy[2][1]), "no bar for a spread of 0");
        double[][] bars = XyCharts.bars(xy, true, new double[]{0.5, 4});
        assertEquals(9, bars[0].length); // one bar, two caps, each ended by a NaN break
        assertEquals(10 * Math.exp(-0.5), bars[1][0], 1e-12);
        assertEquals(10 * Math.exp(0.5), bars[1][1], 1e-12);
    }

    @Test
    void barsAtTheSameXAreSetApartSymmetrically() {
        double[] x = {1, 10};
        Series a = Series.line("a", x, new double[]{2, 3}, Color.RED).withLnSpread(new double[]{0.1, 0.1});
        Series b = Series.line("b", x, new double[]{2, 3}, Color.BLUE).withLnSpread(new double[]{0.1, 0.1});
        Series c = Series.line("c", x, new double[]{2, 3}, Color.GREEN);
        List<double[][]> kept = new java.util.ArrayList<>();
        for (Series s : List.of(a, b, c)) {
            kept.add(XyCharts.usable(s, true, true));
        }
        XyCharts.dodge(List.of(a, b, c), kept, true, new double[]{0.1, 100});
        double shift = Math.pow(10, 0.5 * XyCharts.DODGE * 3); // half a step of a 3-decade axis
        assertEquals(1 / shift, kept.get(0)[0][0], 1e-12);
        assertEquals(1 * shift, kept.get(1)[0][0], 1e-12);
        assertEquals(1, kept.get(2)[0][0], 0.0); // no bars: not moved
        assertEquals(1, x[0], 0.0);              // the caller's array is not modified
    }

    @Test
    void heatMapBandsAreDrawnInTheirColours() throws Exception {
        double[] x = {2, 4, 8}, y = {1e-4, 1e-3, 1e-2, 1e-1};
        double[][] v = {{1, 0.95, 0.5, 0}, {1, 0.5, 0.05, 0}, {0.95, 0.2, 0, Double.NaN}};
        Plot p = new Plot("heat", Plot.Axis.log("c"), Plot.Axis.log("T"),
                List.of(Series.line("line", x, new double[]{3e-4, 2e-4, 1e-4}, Color.ORANGE)), new Plot.HeatMap(x, y, v, "P"));
        Figure f = Plots.figure(p, 700, 500);
        f.write(dir.resolve("heat.png"));
        BufferedImage img = FigureChecks.pngAndSvg(dir.resolve("heat.png"), 700, 500);
        assertTrue(FigureChecks.count(img, HeatCells.colormap(0.95).getRGB()) > 2000, "top band");
        assertTrue(FigureChecks.count(img, HeatCells.colormap(0.05).getRGB()) > 2000, "bottom band");
        assertTrue(FigureChecks.count(img, HeatCells.colormap(0.55).getRGB()) > 2000, "middle band");
        assertEquals(9, HeatCells.band(0.95));
        assertEquals(9, HeatCells.band(1.0));
        assertEquals(-1, HeatCells.band(Double.NaN));
        assertEquals(Math.sqrt(2 * 4), HeatCells.edges(x, true)[1], 1e-12);
    }

    @Test
    void deformGridKeepsTheImagesAspectRatio() throws Exception {
        // 20 wide, 40 tall, one flat colour: its drawn box must be twice as tall as wide
        int w = 20, h = 40;
        float[] px = new float[3 * w * h];
        for (int k = 0; k < w * h; k++) {
            px[k] = 0.0f;                 // R
            px[w * h + k] = 0.6f;         // G
            px[2 * w * h + k] = 0.2f;     // B
        }
        ImageBatch img = new ImageBatch(1, 3, h, w, px);
        ImageBatch[][] cells = {{img, img}, {img, img}};
        Figure f = DeformGrid.figure("grid", cells, new double[]{1e-4, 1e-2}, new int[]{3, 5},
                new boolean[][]{{true, false}, {false, false}}, 120);
        f.write(dir.resolve("grid.png"));
        BufferedImage out = FigureChecks.pngAndSvg(dir.resolve("grid.png"), 200, 200);
        // the top-left cell: the first pixel of its colour, then along its row and its column
        int target = org.diffeo4j.data.ImageFiles.toImage(img, 0).getRGB(0, 0) & 0xffffff;
        int x0 = -1, y0 = -1;
        for (int y = 0; y < out.getHeight() && x0 < 0; y++) {
            for (int x = 0; x < out.getWidth() && x0 < 0; x++) {
                if ((out.getRGB(x, y) & 0xffffff) == target) {
                    x0 = x;
                    y0 = y;
                }
            }
        }
        assertTrue(x0 >= 0, "cell colour drawn");
        int bw = 0, bh = 0;
        while (x0 + bw < out.getWidth() && (out.getRGB(x0 + bw, y0 + 2) & 0xffffff) == target) {
            bw++;
        }
        while (y0 + bh < out.getHeight() && (out.getRGB(x0 + 2, y0 + bh) & 0xffffff) == target) {
            bh++;
        }
        assertTrue(bh > 60, "image drawn " + bw + "x" + bh);
        assertEquals(2.0, bh / (double) bw, 0.06, "aspect of the drawn image " + bw + "x" + bh);
        assertTrue(FigureChecks.count(out, 0xd62728) > 100, "the natural cell is framed");
    }

    @Test
    void badDescriptionsAreRefusedWithTheirField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Series.line("s", new double[]{1, 2}, new double[]{1}, Color.RED));
        assertTrue(e.getMessage().startsWith("series x and y must have the same length, found 2 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Plot.HeatMap(new double[]{1}, new double[]{1, 2}, new double[][]{{1}}, "P"));
        assertTrue(Files.notExists(dir.resolve("x.png")));
    }
}
