package org.diffeo4j.train.study;

import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;

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
 * log-average over seeds), the colour fixed per augmentation across every figure ({@code none}
 * first, then the others in alphabetical order).
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
                rf.add(Series.line(aug, p, r, Plots.colour(k)));
                err.add(Series.line(aug, p, eps, Plots.colour(k)));
                errRf.add(Series.line(aug, r, eps, Plots.colour(k)));
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
