package org.diffeo4j.train.study;

import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;

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
 * The paper's figures from a study's summary and cells, as PNG with SVG beside in {@code figures/}, one set per
 * (dataset, cut, strength): R_f against P (Fig. 3 right, Fig. 4 bottom), D_f, G_f, R_f against P
 * (Fig. 6), initialisation against trained R_f (Fig. 4 top), eps_t against R_f with the fitted power
 * law (Fig. 5), R_f against relative depth (Fig. 14) when layers were measured, and, when networks were
 * trained with augmentations, the Fig. 12 panels of {@link AugmentFigures}. Series are named by arch,
 * with " +AUGMENT" for augmented training.
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
            Set<String> archs = new LinkedHashSet<>(es.stream().map(StudySummary.Entry::label).toList());
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
            if (trained && s.augmented()) {
                written.addAll(AugmentFigures.write(es, what, dir, tag));
            }
        }
        return written;
    }

    private static String condition(String dataset, int cut, double delta, double temperature) {
        return dataset + "_c" + cut + (Double.isNaN(delta) ? "_T" + fmt(temperature) : "_d" + fmt(delta));
    }

    /** A label as part of a file name: characters other than letters, digits, '.', '-', '+', '=' become '_'. */
    static String safe(String label) {
        return label.replace(" +", "+").replaceAll("[^A-Za-z0-9.=+-]", "_");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%g", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** A panel being filled (title, axes, series), drawn by {@link Plots} as PNG with SVG beside. */
    private record Panel(String title, String x, String y, boolean logX, boolean logY, List<Series> series) {
        Panel(String title, String x, String y, boolean logX, boolean logY) {
            this(title, x, y, logX, logY, new ArrayList<>());
        }

        void add(Series s) {
            series.add(s);
        }

        /** PNG at {@code file} and the SVG beside it. */
        void write(Path file) throws IOException {
            Plots.figure(Plot.of(title, new Plot.Axis(x, logX), new Plot.Axis(y, logY), series), W, H).write(file);
        }
    }

    /** A line (dashed: initialisation or a fit); a one-point series is its marker alone. */
    private static Series line(String label, double[] x, double[] y, Color c, boolean dashed) {
        Series s = Series.line(label, x, y, c);
        return dashed ? s.dashed() : s;
    }

    private static Color color(int i) {
        return Plots.colour(i);
    }

    private static String rfVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Panel ch = new Panel("R_f against training-set size (" + what + "); dashed: initialisation", "P (training images)", "R_f", true, true);
        int i = 0;
        double pMin = Double.POSITIVE_INFINITY, pMax = 0, rLow = Double.POSITIVE_INFINITY;
        for (String a : archs) {
            List<StudySummary.Entry> mine = es.stream().filter(e -> e.label().equals(a) && e.trainSize() > 0)
                    .sorted(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
            double[] p = mine.stream().mapToDouble(StudySummary.Entry::trainSize).toArray();
            ch.add(line(a, p, mine.stream().mapToDouble(StudySummary.Entry::rTrained).toArray(), color(i), false));
            ch.add(line(a + " init", p, mine.stream().mapToDouble(StudySummary.Entry::rInit).toArray(), color(i), true));
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
            ch.add(line("slope -1", new double[]{x0, x1, x1, x0}, new double[]{y0, y1, y0, y0}, Color.GRAY, false).plain());
        }
        ch.write(file);
        return file.getFileName().toString();
    }

    /** One figure per architecture: D, G, R after training (solid) and at initialisation (dashed). */
    private static List<String> dgrVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path dir, String tag) throws IOException {
        List<String> files = new ArrayList<>();
        for (String a : archs) {
            List<StudySummary.Entry> mine = es.stream().filter(e -> e.label().equals(a) && e.trainSize() > 0)
                    .sorted(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
            double[] p = mine.stream().mapToDouble(StudySummary.Entry::trainSize).toArray();
            Panel ch = new Panel("D_f, G_f, R_f of " + a + " (" + what + "); dashed: initialisation", "P (training images)", "D_f, G_f, R_f",
                    true, true);
            ch.add(line("D_f", p, mine.stream().mapToDouble(StudySummary.Entry::dTrained).toArray(), color(0), false));
            ch.add(line("G_f", p, mine.stream().mapToDouble(StudySummary.Entry::gTrained).toArray(), color(1), false));
            ch.add(line("R_f", p, mine.stream().mapToDouble(StudySummary.Entry::rTrained).toArray(), color(2), false));
            ch.add(line("D_f init", p, mine.stream().mapToDouble(StudySummary.Entry::dInit).toArray(), color(0), true));
            ch.add(line("G_f init", p, mine.stream().mapToDouble(StudySummary.Entry::gInit).toArray(), color(1), true));
            ch.add(line("R_f init", p, mine.stream().mapToDouble(StudySummary.Entry::rInit).toArray(), color(2), true));
            Path file = dir.resolve("dgr_vs_p_" + tag + "_" + safe(a) + ".png");
            ch.write(file);
            files.add(file.getFileName().toString());
        }
        return files;
    }

    private static String initVsTrained(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Panel ch = new Panel("R_f at initialisation and after training, largest P (" + what + ")", "R_f at initialisation",
                "R_f after training", true, true);
        int i = 0;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (String a : archs) {
            StudySummary.Entry e = es.stream().filter(x -> x.label().equals(a)).max(java.util.Comparator.comparingInt(StudySummary.Entry::trainSize))
                    .orElseThrow();
            ch.add(line(a + " (P=" + e.trainSize() + ")", new double[]{e.rInit()}, new double[]{e.rTrained()}, color(i++), false));
            lo = Math.min(lo, Math.min(e.rInit(), e.rTrained()));
            hi = Math.max(hi, Math.max(e.rInit(), e.rTrained()));
        }
        if (hi > 0 && Double.isFinite(lo)) {
            ch.add(line("R trained = R init", new double[]{lo, hi}, new double[]{lo, hi}, Color.GRAY, true).plain());
        }
        ch.write(file);
        return file.getFileName().toString();
    }

    private static String errorVsRf(StudySummary.Fit fit, String what, Path file) throws IOException {
        PowerLaw law = fit.law();
        Panel ch = new Panel(String.format(Locale.ROOT, "Test error against R_f (%s): eps = %.3g R^%.3g, corr %.3f", what, law.a(), law.b(), law.corr()),
                "R_f after training", "test error eps_t", true, true);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < fit.archs().size(); i++) {
            ch.add(line(fit.archs().get(i), new double[]{fit.r()[i]}, new double[]{fit.eps()[i]}, color(i), false));
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
            ch.add(line("fit", x, y, Color.GRAY, true).plain());
        }
        ch.write(file);
        return file.getFileName().toString();
    }

    private static String layers(List<Cell> cells, Set<String> archs, String what, Path file) throws IOException {
        Panel ch = new Panel("R_f by relative depth, largest P (" + what + "); dashed: initialisation", "relative depth", "R_f", false, true);
        int i = 0;
        for (String a : archs) {
            List<Cell> mine = cells.stream().filter(c -> c.label().equals(a)).toList();
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
            ch.add(line(a, depth, rTrained, color(i), false));
            ch.add(line(a + " init", depth, rInit, color(i), true));
            i++;
        }
        ch.write(file);
        return file.getFileName().toString();
    }
}
