package org.diffeo4j.train.study;

import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;
import org.diffeo4j.train.study.Bootstrap.Estimate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The paper's Fig. 12 question drawn from a study trained with several augmentations: per
 * architecture, three panels side by side — R_f after training against P, the test error against
 * P, and the test error against R_f — one line per augmentation (points: the train sizes, each the
 * log-average over seeds, with its bootstrap 95% bar on the panels against P, hollow where a cell did
 * not converge), the colour fixed per augmentation across every figure ({@code none} first, then the
 * others in alphabetical order).
 */
final class AugmentFigures {
    private static final int W = 430, H = 420;

    private AugmentFigures() {
    }

    /** Writes {@code augment_TAG_ARCH.png} (SVG beside) for each architecture in {@code es}; returns the names. */
    static List<String> write(List<StudySummary.Entry> es, String what, Path dir, String tag) throws IOException {
        List<String> augs = augmentations(es);
        Set<String> archs = new LinkedHashSet<>(es.stream().filter(e -> e.trainSize() > 0).map(StudySummary.Entry::arch).toList());
        List<String> files = new ArrayList<>();
        for (String a : archs) {
            List<Series> rf = new ArrayList<>(), err = new ArrayList<>(), errRf = new ArrayList<>();
            for (int k = 0; k < augs.size(); k++) {
                String aug = augs.get(k);
                List<StudySummary.Entry> mine = es.stream().filter(e -> e.arch().equals(a) && e.augment().equals(aug) && e.trainSize() > 0)
                        .sorted(Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                double[] p = values(mine, StudySummary.Entry::trainSize), r = values(mine, StudySummary.Entry::rTrained);
                double[] eps = values(mine, StudySummary.Entry::testErrorLogMean);
                Estimate[] rCi = mine.stream().map(e -> e.trained().r()).toArray(Estimate[]::new);
                Estimate[] epsCi = mine.stream().map(StudySummary.Entry::errorLog).toArray(Estimate[]::new);
                boolean[] open = new boolean[mine.size()];
                for (int i = 0; i < open.length; i++) {
                    open[i] = mine.get(i).nonConverged() > 0;
                }
                // bars dodged per augmentation against P; none on the third panel, where both axes move and the lines already cross
                Marks.Axis pAxis = Marks.Axis.of(true, p);
                double[] pd = Marks.moved(p, pAxis, Marks.dodge(k, augs.size()));
                rf.add(Series.line(aug, pd, r, Plots.colour(k)));
                Marks.add(rf, Marks.vertical(pd, rCi, Plots.colour(k), pAxis), Marks.hollow(pd, r, open));
                err.add(Series.line(aug, pd, eps, Plots.colour(k)));
                Marks.add(err, Marks.vertical(pd, epsCi, Plots.colour(k), pAxis), Marks.hollow(pd, eps, open));
                errRf.add(Series.line(aug, r, eps, Plots.colour(k)));
                Marks.add(errRf, Marks.hollow(r, eps, open));
            }
            List<Plot> row = List.of(
                    Plot.of(a + ": R_f after training", Plot.Axis.log("P (training images)"), Plot.Axis.log("R_f"), rf),
                    Plot.of(a + ": test error", Plot.Axis.log("P (training images)"), Plot.Axis.log("test error eps_t"), err),
                    Plot.of(a + ": test error against R_f (points: P)", Plot.Axis.log("R_f after training"), Plot.Axis.log("test error eps_t"),
                            errRf));
            Path file = dir.resolve("augment_" + tag + "_" + StudyFigures.safe(a) + ".png");
            Plots.row(row, W, H).write(file);
            files.add(file.getFileName().toString());
        }
        return files;
    }

    /** {@code none} first, then the others alphabetically: one colour each, the same in every figure. */
    static List<String> augmentations(List<StudySummary.Entry> es) {
        List<String> augs = new ArrayList<>(es.stream().map(StudySummary.Entry::augment).distinct().sorted().toList());
        if (augs.remove(Cell.NONE)) {
            augs.add(0, Cell.NONE);
        }
        return augs;
    }

    private static double[] values(List<StudySummary.Entry> es, ToDoubleFunction<StudySummary.Entry> f) {
        return es.stream().mapToDouble(f).toArray();
    }
}
