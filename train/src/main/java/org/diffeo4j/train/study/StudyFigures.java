package org.diffeo4j.train.study;

import org.diffeo4j.report.Chart;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The paper's figures from a study's summary and cells, as PNG in {@code figures/}, one set per
 * (dataset, cut, strength): R_f against P (Fig. 3 right, Fig. 4 bottom), D_f, G_f, R_f against P
 * (Fig. 6), initialisation against trained R_f (Fig. 4 top), eps_t against R_f with the fitted power
 * law (Fig. 5), and R_f against relative depth (Fig. 14) when layers were measured.
 */
public final class StudyFigures {
    private static final int W = 800, H = 560;

    private StudyFigures() {
    }

    /** Writes every figure; returns the file names written. */
    public static List<String> write(StudySummary s, List<Cell> cells, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        Map<String, List<StudySummary.Entry>> byCondition = new LinkedHashMap<>();
        for (StudySummary.Entry e : s.entries()) {
            byCondition.computeIfAbsent(condition(e.dataset(), e.cut(), e.delta(), e.temperature()), k -> new ArrayList<>()).add(e);
        }
        boolean several = byCondition.size() > new LinkedHashSet<>(s.entries().stream().map(StudySummary.Entry::dataset).toList()).size();
        for (Map.Entry<String, List<StudySummary.Entry>> c : byCondition.entrySet()) {
            List<StudySummary.Entry> es = c.getValue();
            StudySummary.Entry f = es.get(0);
            String tag = several ? c.getKey() : f.dataset();
            String what = f.dataset() + ", c = " + f.cut() + (Double.isNaN(f.delta()) ? ", T = " + f.temperature() : ", delta = " + f.delta());
            Set<String> archs = new LinkedHashSet<>(es.stream().map(StudySummary.Entry::arch).toList());
            boolean trained = es.stream().anyMatch(e -> e.trainSize() > 0);
            if (trained) {
                written.add(rfVsP(es, archs, what, dir.resolve("rf_vs_p_" + tag + ".png")));
                written.addAll(dgrVsP(es, archs, what, dir, tag));
                written.add(initVsTrained(es, archs, what, dir.resolve("init_vs_trained_" + tag + ".png")));
            }
            for (StudySummary.Fit fit : s.fits()) {
                if (condition(fit.dataset(), fit.cut(), fit.delta(), fit.temperature()).equals(c.getKey())) {
                    written.add(errorVsRf(fit, what, dir.resolve("error_vs_rf_" + tag + ".png")));
                }
            }
            List<Cell> mine = cells.stream().filter(x -> condition(x.dataset(), x.cut(), x.delta(), x.temperature()).equals(c.getKey())
                    && !x.layers().isEmpty()).toList();
            if (!mine.isEmpty()) {
                written.add(layers(mine, archs, what, dir.resolve("rf_vs_depth_" + tag + ".png")));
            }
        }
        return written;
    }

    private static String condition(String dataset, int cut, double delta, double temperature) {
        return dataset + "_c" + cut + (Double.isNaN(delta) ? "_T" + fmt(temperature) : "_d" + fmt(delta));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%g", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static Color color(int i) {
        return Chart.PALETTE[i % Chart.PALETTE.length];
    }

    private static String rfVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Chart ch = new Chart("R_f against training-set size (" + what + "); dashed: initialisation", "P (training images)", "R_f", true, true);
        int i = 0;
        double pMin = Double.POSITIVE_INFINITY, pMax = 0, rLow = Double.POSITIVE_INFINITY;
        for (String a : archs) {
            List<StudySummary.Entry> mine = es.stream().filter(e -> e.arch().equals(a) && e.trainSize() > 0)
                    .sorted(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
            double[] p = mine.stream().mapToDouble(StudySummary.Entry::trainSize).toArray();
            ch.add(new Chart.Series(a, p, mine.stream().mapToDouble(StudySummary.Entry::rTrained).toArray(), color(i), false));
            ch.add(new Chart.Series(a + " init", p, mine.stream().mapToDouble(StudySummary.Entry::rInit).toArray(), color(i), true));
            for (StudySummary.Entry e : mine) {
                pMin = Math.min(pMin, e.trainSize());
                pMax = Math.max(pMax, e.trainSize());
                rLow = Math.min(rLow, e.rTrained());
            }
            i++;
        }
        if (pMax > pMin && rLow > 0 && Double.isFinite(rLow)) {
            // The slope -1 triangle of Fig. 3: a factor f in P at a factor 1/f in R, under the lowest curve at the largest P.
            double f = Math.min(2, Math.sqrt(pMax / pMin)), x1 = pMax, x0 = x1 / f, y0 = rLow / 1.1, y1 = y0 / f;
            ch.add(new Chart.Series("slope -1", new double[]{x0, x1, x1, x0}, new double[]{y0, y1, y0, y0}, Color.GRAY, false));
        }
        ch.writePng(file, W, H);
        return file.getFileName().toString();
    }

    /** One figure per architecture: D, G, R after training (solid) and at initialisation (dashed). */
    private static List<String> dgrVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path dir, String tag) throws IOException {
        List<String> files = new ArrayList<>();
        for (String a : archs) {
            List<StudySummary.Entry> mine = es.stream().filter(e -> e.arch().equals(a) && e.trainSize() > 0)
                    .sorted(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
            double[] p = mine.stream().mapToDouble(StudySummary.Entry::trainSize).toArray();
            Chart ch = new Chart("D_f, G_f, R_f of " + a + " (" + what + "); dashed: initialisation", "P (training images)", "D_f, G_f, R_f",
                    true, true);
            ch.add(new Chart.Series("D_f", p, mine.stream().mapToDouble(StudySummary.Entry::dTrained).toArray(), color(0), false));
            ch.add(new Chart.Series("G_f", p, mine.stream().mapToDouble(StudySummary.Entry::gTrained).toArray(), color(1), false));
            ch.add(new Chart.Series("R_f", p, mine.stream().mapToDouble(StudySummary.Entry::rTrained).toArray(), color(2), false));
            ch.add(new Chart.Series("D_f init", p, mine.stream().mapToDouble(StudySummary.Entry::dInit).toArray(), color(0), true));
            ch.add(new Chart.Series("G_f init", p, mine.stream().mapToDouble(StudySummary.Entry::gInit).toArray(), color(1), true));
            ch.add(new Chart.Series("R_f init", p, mine.stream().mapToDouble(StudySummary.Entry::rInit).toArray(), color(2), true));
            Path file = dir.resolve("dgr_vs_p_" + tag + "_" + a + ".png");
            ch.writePng(file, W, H);
            files.add(file.getFileName().toString());
        }
        return files;
    }

    private static String initVsTrained(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Chart ch = new Chart("R_f at initialisation and after training, largest P (" + what + ")", "R_f at initialisation",
                "R_f after training", true, true);
        int i = 0;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (String a : archs) {
            StudySummary.Entry e = es.stream().filter(x -> x.arch().equals(a)).max(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize))
                    .orElseThrow();
            ch.add(new Chart.Series(a + " (P=" + e.trainSize() + ")", new double[]{e.rInit()}, new double[]{e.rTrained()}, color(i++), false));
            lo = Math.min(lo, Math.min(e.rInit(), e.rTrained()));
            hi = Math.max(hi, Math.max(e.rInit(), e.rTrained()));
        }
        if (hi > 0 && Double.isFinite(lo)) {
            ch.add(new Chart.Series("R trained = R init", new double[]{lo, hi}, new double[]{lo, hi}, Color.GRAY, true));
        }
        ch.writePng(file, W, H);
        return file.getFileName().toString();
    }

    private static String errorVsRf(StudySummary.Fit fit, String what, Path file) throws IOException {
        PowerLaw law = fit.law();
        Chart ch = new Chart(String.format(Locale.ROOT, "Test error against R_f (%s): eps = %.3g R^%.3g, corr %.3f", what, law.a(), law.b(), law.corr()),
                "R_f after training", "test error eps_t", true, true);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < fit.archs().size(); i++) {
            ch.add(new Chart.Series(fit.archs().get(i), new double[]{fit.r()[i]}, new double[]{fit.eps()[i]}, color(i), false));
            if (fit.r()[i] > 0) {
                lo = Math.min(lo, fit.r()[i]);
                hi = Math.max(hi, fit.r()[i]);
            }
        }
        if (Double.isFinite(law.b()) && hi > lo) {
            int n = 20;
            double[] x = new double[n], y = new double[n];
            for (int k = 0; k < n; k++) {
                x[k] = lo * Math.pow(hi / lo, k / (n - 1.0));
                y[k] = law.at(x[k]);
            }
            ch.add(new Chart.Series("fit", x, y, Color.GRAY, true));
        }
        ch.writePng(file, W, H);
        return file.getFileName().toString();
    }

    private static String layers(List<Cell> cells, Set<String> archs, String what, Path file) throws IOException {
        Chart ch = new Chart("R_f by relative depth, largest P (" + what + "); dashed: initialisation", "relative depth", "R_f", false, true);
        int i = 0;
        for (String a : archs) {
            List<Cell> mine = cells.stream().filter(c -> c.arch().equals(a)).toList();
            if (mine.isEmpty()) {
                i++;
                continue;
            }
            int p = mine.stream().mapToInt(Cell::trainSize).max().orElse(0);
            List<Cell> top = mine.stream().filter(c -> c.trainSize() == p).toList();
            List<String> names = new ArrayList<>(top.get(0).layers().keySet());
            double[] depth = new double[names.size() + 1], rInit = new double[names.size() + 1], rTrained = new double[names.size() + 1];
            for (int l = 0; l <= names.size(); l++) {
                final int li = l;
                depth[l] = l < names.size() ? top.get(0).layers().get(names.get(l)).relativeDepth() : 1.0;
                rTrained[l] = Math.exp(top.stream().mapToDouble(c -> Math.log(li < names.size() ? c.layers().get(names.get(li)).trained().r()
                        : c.trained().r())).average().orElse(Double.NaN));
                rInit[l] = top.get(0).init() == null ? Double.NaN : Math.exp(top.stream().mapToDouble(c -> Math.log(li < names.size()
                        ? c.layers().get(names.get(li)).init().r() : c.init().r())).average().orElse(Double.NaN));
            }
            ch.add(new Chart.Series(a, depth, rTrained, color(i), false));
            ch.add(new Chart.Series(a + " init", depth, rInit, color(i), true));
            i++;
        }
        ch.writePng(file, W, H);
        return file.getFileName().toString();
    }
}
