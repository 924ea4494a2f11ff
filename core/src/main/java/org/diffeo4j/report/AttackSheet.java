package org.diffeo4j.report;

import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.BilinearDeformer;
import org.diffeo4j.attack.ModeVectors;
import org.diffeo4j.attack.ProbeOutcome;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The probe sheet of an attacked cell: columns are probes, rows the original x, the typical tau x (the
 * draw of realisation 0) and the worst-case tau* x, each captioned with the class the net predicts for
 * it. Probes whose label the worst-case diffeo flips come first (in probe order), then those it moves
 * most relative to the typical draw.
 */
public final class AttackSheet {
    /** Columns drawn by default. */
    public static final int PROBES = 8;

    private AttackSheet() {
    }

    /** The probes shown: flipped by tau* first, then by D_i* / D_i, at most {@code count}. */
    public static List<ProbeOutcome> chosen(AttackCell cell, int count) {
        List<ProbeOutcome> flipped = new ArrayList<>(cell.probes().stream().filter(p -> p.flipped(2)).toList());
        List<ProbeOutcome> others = new ArrayList<>(cell.probes().stream().filter(p -> !p.flipped(2)).toList());
        others.sort(Comparator.comparingDouble((ProbeOutcome p) -> -p.distances()[2] / Math.max(p.distances()[1], 1e-300)));
        flipped.addAll(others);
        return flipped.subList(0, Math.min(count, flipped.size()));
    }

    /**
     * @param images the probes as shown (pixels in [0, 1]: before any normalisation), [P, C, H, W]; not modified
     * @param seed the attack's seed (the typical draw of probe i is at sample i)
     */
    public static Figure figure(AttackCell cell, ImageBatch images, long seed, int count) {
        List<ProbeOutcome> shown = chosen(cell, count);
        int n = shown.size(), size = images.sampleSize(), cut = cell.cut();
        ModeVectors modes = new ModeVectors(cut);
        BilinearDeformer d = new BilinearDeformer(modes, images.channels(), images.height(), images.width());
        ImageBatch[][] cells = new ImageBatch[3][n];
        String[][] captions = new String[3][n];
        String[] cols = new String[n];
        for (int c = 0; c < n; c++) {
            ProbeOutcome p = shown.get(c);
            float[] x = java.util.Arrays.copyOfRange(images.data(), p.probe() * size, (p.probe() + 1) * size);
            float[] typical = new float[size], worst = new float[size];
            CoefficientBatch draw = CoefficientBatch.draw(cut, seed, p.probe(), 1);
            d.deform(x, 0, draw.zu(), draw.zv(), 0, cell.temperature(), typical, 0);
            d.deform(x, 0, p.zu(), p.zv(), 0, cell.temperature(), worst, 0);
            float[][] rows = {x, typical, worst};
            for (int r = 0; r < 3; r++) {
                cells[r][c] = new ImageBatch(1, images.channels(), images.height(), images.width(), rows[r]);
                captions[r][c] = "pred " + p.predicted()[r] + (r > 0 && p.flipped(r) ? " (flip)" : "");
            }
            cols[c] = "#" + p.probe() + (p.label() >= 0 ? " y=" + p.label() : "");
        }
        String title = String.format(Locale.ROOT, "worst-case diffeos, c = %d, %s (%s target, %s): %d of %d probes flipped",
                cut, Double.isNaN(cell.delta()) ? String.format(Locale.ROOT, "T = %.3g", cell.temperature())
                        : String.format(Locale.ROOT, "delta = %.3g", cell.delta()), cell.target().cliName(), cell.method().cliName(),
                cell.probes().stream().filter(p -> p.flipped(2)).count(), cell.probes().size());
        return DeformGrid.sheet(title, "probe (index among the probes, true class)", "", cells,
                new String[]{"original", "typical tau", "worst tau*"}, cols, captions, Math.max(84, Math.min(128, images.width() * 3)));
    }
}
