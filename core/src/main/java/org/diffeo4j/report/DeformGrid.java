package org.diffeo4j.report;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The paper's Fig. 1: one deformed image per (temperature row, cut-off column), cells inside the
 * natural region T_min(c) <= T <= T_max(c) framed.
 */
public final class DeformGrid {
    private DeformGrid() {
    }

    /**
     * @param cells {@code cells[row][col]} a batch whose sample 0 is shown; not modified
     * @param natural {@code natural[row][col]} frames the cell
     * @param cell side of a cell in pixels (images are scaled with nearest neighbour)
     */
    public static BufferedImage render(String title, ImageBatch[][] cells, double[] temperatures, int[] cuts,
                                       boolean[][] natural, int cell) {
        int rows = temperatures.length, cols = cuts.length, left = 90, top = 60, gap = 8;
        int w = left + cols * (cell + gap) + 10, h = top + rows * (cell + gap) + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int c = 0; c < cols; c++) {
            String s = "c = " + cuts[c];
            g.drawString(s, left + c * (cell + gap) + cell / 2 - g.getFontMetrics().stringWidth(s) / 2, top - 8);
        }
        for (int r = 0; r < rows; r++) {
            g.setColor(Color.BLACK);
            g.drawString("T = " + Axis.label(temperatures[r]), 8, top + r * (cell + gap) + cell / 2 + 4);
            for (int c = 0; c < cols; c++) {
                int x = left + c * (cell + gap), y = top + r * (cell + gap);
                g.drawImage(ImageFiles.toImage(cells[r][c], 0), x, y, cell, cell, null);
                if (natural[r][c]) {
                    g.setColor(new Color(0xd62728));
                    g.setStroke(new BasicStroke(3f));
                    g.drawRect(x - 3, y - 3, cell + 5, cell + 5);
                }
            }
        }
        g.setColor(new Color(0xd62728));
        g.drawString("framed: natural region T_min(c) <= T <= T_max(c) (Section 2.1)", left, h - 14);
        g.dispose();
        return img;
    }
}
