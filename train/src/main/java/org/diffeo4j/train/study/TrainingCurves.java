package org.diffeo4j.train.study;

import org.diffeo4j.report.Files2;
import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * R_f during training (issue 20, item 8; the paper's "R_f decreases by several decades during
 * training"): for each dataset and architecture, R_f against epoch, one curve per seed coloured by
 * training-set size, from epoch 0 (the measurement at initialisation) and the cells' {@code
 * fit.during} (a study with {@code training.measure_every}). The dashed line is R_f = 1.
 */
final class TrainingCurves {
    private static final int W = 900, H = 600;

    private TrainingCurves() {
    }

    /** Writes {@code rf_vs_epoch_DATASET_ARCH.png} (and SVG) for every (dataset, label) with curves; returns the files' names. */
    static List<String> write(List<Cell> cells, Path dir) throws IOException {
        // one curve per unit: the cells of a unit (one per cut and strength) share their training
        Map<String, Map<Integer, Map<Long, List<Cell.During>>>> byGroup = new TreeMap<>();
        for (Cell c : cells) {
            if (c.fit() == null || c.fit().during().isEmpty()) {
                continue;
            }
            // epoch 0 is the measurement at initialisation (same probes and protocol when the cell is c = 3, delta = 1)
            List<Cell.During> curve = new ArrayList<>();
            if (c.init() != null && c.cut() == 3 && c.delta() == 1.0) {
                curve.add(new Cell.During(0, c.init().d(), c.init().g(), c.init().r()));
            }
            curve.addAll(c.fit().during());
            byGroup.computeIfAbsent(c.dataset() + "\t" + c.label(), k -> new TreeMap<>()).computeIfAbsent(c.trainSize(), k -> new TreeMap<>())
                    .putIfAbsent(c.seed(), curve);
        }
        List<String> written = new ArrayList<>();
        if (byGroup.isEmpty()) {
            return written;
        }
        Files2.createDirectories(dir);
        for (Map.Entry<String, Map<Integer, Map<Long, List<Cell.During>>>> g : byGroup.entrySet()) {
            String[] dl = g.getKey().split("\t");
            List<Series> series = new ArrayList<>();
            int i = 0;
            double maxEpoch = 1;
            for (Map.Entry<Integer, Map<Long, List<Cell.During>>> p : g.getValue().entrySet()) {
                // one curve per seed, coloured by P: seeds stopped at the loss end at different epochs, and a mean
                // over the seeds still running would jump where one of them stops
                java.awt.Color colour = Plots.colour(i++);
                for (Map.Entry<Long, List<Cell.During>> seed : p.getValue().entrySet()) {
                    List<Cell.During> curve = seed.getValue().stream().filter(d -> d.r() > 0 && Double.isFinite(d.r())).toList();
                    double[] x = curve.stream().mapToDouble(Cell.During::epoch).toArray();
                    double[] y = curve.stream().mapToDouble(Cell.During::r).toArray();
                    for (double e : x) {
                        maxEpoch = Math.max(maxEpoch, e);
                    }
                    series.add(Series.line("P = " + p.getKey() + ", seed " + seed.getKey(), x, y, colour));
                }
            }
            series.add(Series.line("R_f = 1", new double[]{0, maxEpoch}, new double[]{1, 1}, java.awt.Color.GRAY).dashed());
            String file = "rf_vs_epoch_" + StudyFigures.safe(dl[0]) + "_" + StudyFigures.safe(dl[1]) + ".png";
            Plots.figure(Plot.of("R_f during training: " + dl[1] + " on " + dl[0] + " (c = 3, delta = 1; one curve per seed)",
                    new Plot.Axis("epoch", false), new Plot.Axis("R_f", true), series), W, H).write(dir.resolve(file));
            written.add(file);
        }
        return written;
    }
}
