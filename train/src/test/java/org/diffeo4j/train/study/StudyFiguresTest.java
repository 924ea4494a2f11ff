package org.diffeo4j.train.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The figures of a synthetic study with several seeds (error bars), a cell that did not converge
 * (hollow), a checkpoint chosen on the test set and layers are all written. With
 * {@code -Ddiffeo.figures=DIR} they are written to DIR to be looked at.
 */
class StudyFiguresTest {
    /** Three nets x four P x four seeds at two strengths, layers measured; lenet's P = 256 seed 3 stuck; fc's P = 4096 best-test. */
    static List<Cell> study(int seeds, String... archs) {
        SplittableRandom rng = new SplittableRandom(7);
        Map<String, double[]> law = Map.of("fc", new double[]{30, -0.35, 0.9}, "lenet", new double[]{12, -0.2, 0.5},
                "resnet", new double[]{0.05, 0.25, 0.3}); // R = c P^slope, test error = k P^-0.5 scaled
        List<Cell> cells = new ArrayList<>();
        for (double delta : new double[]{0.5, 1.0}) {
            for (String a : archs) {
                double[] l = law.get(a);
                for (int p = 256; p <= 4096; p *= 2) {
                    for (int s = 0; s < seeds; s++) {
                        double r = delta * l[0] * Math.pow(p, l[1]) * Math.exp(0.15 * BootstrapTest.gaussian(rng));
                        double err = l[2] * 2 / Math.sqrt(p) * Math.exp(0.2 * BootstrapTest.gaussian(rng));
                        Map<String, Cell.Layer> layers = new LinkedHashMap<>();
                        for (int k = 1; k <= 3; k++) {
                            double f = Math.pow(r, k / 4.0) * Math.exp(0.1 * BootstrapTest.gaussian(rng));
                            layers.put("stage" + k, new Cell.Layer(k / 4.0, new Cell.DGR(0.1, 0.1, 1.0 + 0.02 * k), new Cell.DGR(0.1 * f, 0.1, f)));
                        }
                        Cell.Fit fit = a.equals("lenet") && p == 256 && s == 3 ? new Cell.Fit(2.3, 0.89, 10, Cell.Fit.LAST, 10, false, "training error 0.89 > 0.01")
                                : new Cell.Fit(0.01, 0.001, 10, a.equals("fc") && p == 4096 ? Cell.Fit.BEST_TEST : Cell.Fit.LAST, 10, true, null);
                        cells.add(new Cell("mnist", a, p, s, 3, delta, 0.0015, err, new Cell.DGR(0.1 * Math.exp(0.05 * BootstrapTest.gaussian(rng)), 0.1, 1.0),
                                new Cell.DGR(0.1 * r, 0.1, r), layers, 1000, 5, "runs/x", Cell.NONE, fit));
                    }
                }
            }
        }
        return cells;
    }

    private static Path dir(Path temp, String name) throws IOException {
        String d = System.getProperty("diffeo.figures");
        Path p = d == null ? temp.resolve(name) : Path.of(d, name);
        Files.createDirectories(p);
        return p;
    }

    @Test
    void everyFigureIsWrittenWithBarsHollowPointsAndNotes(@TempDir Path temp) throws IOException {
        List<Cell> cells = study(4, "fc", "lenet", "resnet");
        StudySummary s = StudySummary.of(cells, Map.of("mnist", 10000));
        Path out = dir(temp, "three");
        List<String> files = StudyFigures.write(s, cells, out);
        assertEquals(List.of("rf_vs_p_mnist_c3_d0.5.png", "dgr_vs_p_mnist_c3_d0.5_fc.png", "dgr_vs_p_mnist_c3_d0.5_lenet.png",
                "dgr_vs_p_mnist_c3_d0.5_resnet.png", "init_vs_trained_mnist_c3_d0.5.png", "error_vs_rf_mnist_c3_d0.5.png", "rf_vs_depth_mnist_c3_d0.5.png"),
                files.subList(0, 7));
        for (String f : files) {
            assertTrue(Files.size(out.resolve(f)) > 5000, f);
            assertTrue(Files.readString(out.resolve(f.replace(".png", ".svg"))).contains("<svg"), f);
        }
        // the SVG draws text as outlines: the notes are checked where they are made
        assertEquals(List.of("hollow: has cells\nnot converged", "checkpoint: best\ntest accuracy"), StudyFigures.notes(s.entries()));
        assertEquals(List.of(), StudyFigures.notes(StudySummary.of(study(2, "resnet"), Map.of()).entries()));
    }

    @Test
    void twoNetworksAndOneSeedStillDraw(@TempDir Path temp) throws IOException {
        List<Cell> two = study(3, "fc", "lenet");
        StudyFigures.write(StudySummary.of(two, Map.of("mnist", 10000)), two, dir(temp, "two"));
        List<Cell> one = study(1, "fc", "resnet");
        List<String> files = StudyFigures.write(StudySummary.of(one, Map.of("mnist", 10000)), one, dir(temp, "one"));
        assertTrue(files.contains("error_vs_rf_mnist_c3_d1.png"), files.toString());
    }

    @Test
    void augmentedTrainingGetsItsPanelsWithBars(@TempDir Path temp) throws IOException {
        List<Cell> cells = new ArrayList<>();
        for (Cell c : study(3, "lenet", "resnet")) {
            cells.add(c);
            cells.add(new Cell(c.dataset(), c.arch(), c.trainSize(), c.seed(), c.cut(), c.delta(), c.temperature(), c.testError() * 0.8, c.init(),
                    new Cell.DGR(c.trained().d() * 0.7, c.trained().g(), c.trained().r() * 0.7), c.layers(), c.parameters(), c.depth(), c.model(),
                    "diffeo", c.fit()));
        }
        Path out = dir(temp, "augment");
        List<String> files = StudyFigures.write(StudySummary.of(cells, Map.of("mnist", 10000)), cells, out);
        assertTrue(files.contains("augment_mnist_c3_d1_lenet.png"), files.toString());
        assertTrue(Files.size(out.resolve("augment_mnist_c3_d1_lenet.png")) > 5000);
    }
}
