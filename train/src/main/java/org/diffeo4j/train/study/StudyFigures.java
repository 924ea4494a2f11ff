package org.diffeo4j.train.study;

import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.diffeo4j.train.study.Bootstrap.Estimate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The paper's figures from a study's summary, as PNG with SVG beside in {@code figures/}, one set per
 * (dataset, cut, strength): R_f against P (Fig. 3 right, Fig. 4 bottom), D_f, G_f, R_f against P
 * (Fig. 6), initialisation against trained R_f (Fig. 4 top), eps_t against R_f with the fitted power
 * law (Fig. 5), R_f against relative depth (Fig. 14) when layers were measured, and, when networks were
 * trained with augmentations, the Fig. 12 panels of {@link AugmentFigures}. Series are named by arch,
 * with " +AUGMENT" for augmented training. Each point carries its bootstrap 95% bar and is hollow
 * when its entry holds a cell that did not converge ({@link Marks}).
 */
public final class StudyFigures {
    private static final int W = 800, H = 560;

    private StudyFigures() {
    }

    /**
     * Writes every figure; returns the file names written.
     *
     * @param cells the summary's cells; everything drawn now comes from {@code s} (per-layer values
     *              included), the argument stays for the callers. Not modified.
     */
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
                    List<StudySummary.Entry> drawn = es.stream().filter(e -> fit.points().stream()
                            .anyMatch(p -> p.label().equals(e.label()) && p.trainSize() == e.trainSize())).toList();
                    written.add(errorVsRf(fit, what, notes(drawn), dir.resolve("error_vs_rf_" + tag + ".png")));
                }
            }
            if (es.stream().anyMatch(e -> !e.layers().isEmpty())) {
                written.add(layers(es, archs, what, dir.resolve("rf_vs_depth_" + tag + ".png")));
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

        /**
         * A line of text in the legend, below the series: an invisible one-point series (white, no
         * marker) at the first point drawn, so only its label shows. Lines may hold "\n".
         */
        void note(String text) {
            for (Series s : List.copyOf(series)) {
                for (int i = 0; i < s.x().length; i++) {
                    double x = s.x()[i], y = s.y()[i];
                    if (Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0)) {
                        series.add(Series.line(text, new double[]{x}, new double[]{y}, Color.WHITE).plain());
                        return;
                    }
                }
            }
        }

        /** The notes of {@link #notes} as legend lines. */
        void notes(List<String> notes) {
            notes.forEach(this::note);
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

    /** One curve of a figure: points, their intervals, and which points hold cells that did not converge. */
    private record Curve(String label, double[] x, Estimate[] y, boolean[] open, Color color, boolean dashed) {
        double[] values() {
            double[] v = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                v[i] = y[i] == null ? Double.NaN : y[i].value();
            }
            return v;
        }

        /** The line, its bars (moved by {@code dodge} of the x axis) and hollow centres, into {@code panel}. */
        void draw(Panel panel, Marks.Axis xAxis, double dodge) {
            double[] xs = Marks.moved(x, xAxis, dodge), v = values();
            panel.add(line(label, xs, v, color, dashed));
            Marks.add(panel.series(), Marks.vertical(xs, y, color, xAxis), Marks.hollow(xs, v, open));
        }
    }

    /** Entries' values as a curve over {@code x}; hollow where an entry holds a cell that did not converge. */
    private static Curve curve(String label, List<StudySummary.Entry> es, double[] x, Function<StudySummary.Entry, Estimate> y, Color c, boolean dashed) {
        return new Curve(label, x, es.stream().map(y).toArray(Estimate[]::new), open(es), c, dashed);
    }

    private static boolean[] open(List<StudySummary.Entry> es) {
        boolean[] o = new boolean[es.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = es.get(i).nonConverged() > 0;
        }
        return o;
    }

    private static Estimate rInit(StudySummary.Entry e) {
        return e.init() == null ? null : e.init().r();
    }

    /** What a figure's legend says below its series: hollow points, a checkpoint chosen on the test set. */
    static List<String> notes(List<StudySummary.Entry> es) {
        List<String> n = new ArrayList<>();
        if (es.stream().anyMatch(e -> e.nonConverged() > 0)) {
            n.add("hollow: has cells\nnot converged");
        }
        if (es.stream().anyMatch(e -> Cell.Fit.BEST_TEST.equals(e.selected()))) {
            n.add("checkpoint: best\ntest accuracy");
        }
        return n;
    }

    private static List<StudySummary.Entry> trainedOf(List<StudySummary.Entry> es, String label) {
        return es.stream().filter(e -> e.label().equals(label) && e.trainSize() > 0).sorted(Comparator.comparingInt(StudySummary.Entry::trainSize)).toList();
    }

    private static double[] sizes(List<StudySummary.Entry> es) {
        return es.stream().mapToDouble(StudySummary.Entry::trainSize).toArray();
    }

    private static String rfVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Panel ch = new Panel("R_f against training-set size (" + what + "); dashed: initialisation", "P (training images)", "R_f", true, true);
        Marks.Axis xAxis = Marks.Axis.of(true, es.stream().filter(e -> e.trainSize() > 0).mapToDouble(StudySummary.Entry::trainSize).toArray());
        int i = 0;
        double pMin = Double.POSITIVE_INFINITY, pMax = 0, rLow = Double.POSITIVE_INFINITY;
        for (String a : archs) {
            List<StudySummary.Entry> mine = trainedOf(es, a);
            double[] p = sizes(mine);
            double dodge = Marks.dodge(i, archs.size());
            curve(a, mine, p, e -> e.trained().r(), color(i), false).draw(ch, xAxis, dodge);
            curve(a + " init", mine, p, StudyFigures::rInit, color(i), true).draw(ch, xAxis, dodge);
            for (StudySummary.Entry e : mine) {
                pMin = Math.min(pMin, e.trainSize());
                pMax = Math.max(pMax, e.trainSize());
                rLow = Math.min(rLow, e.trained().r().hasInterval() ? e.trained().r().lo() : e.rTrained());
            }
            i++;
        }
        if (pMax > pMin && rLow > 0 && Double.isFinite(rLow)) {
            // The slope -1 triangle of Fig. 3: a factor f in P at a factor 1/f in R, under the lowest curve at the largest P.
            double f = Math.min(2, Math.sqrt(pMax / pMin)), x1 = pMax, x0 = x1 / f, y0 = rLow / 1.1, y1 = y0 / f;
            ch.add(line("slope -1", new double[]{x0, x1, x1, x0}, new double[]{y0, y1, y0, y0}, Color.GRAY, false).plain());
        }
        ch.notes(notes(es));
        ch.write(file);
        return file.getFileName().toString();
    }

    /** One figure per architecture: D, G, R after training (solid) and at initialisation (dashed). */
    private static List<String> dgrVsP(List<StudySummary.Entry> es, Set<String> archs, String what, Path dir, String tag) throws IOException {
        List<String> files = new ArrayList<>();
        for (String a : archs) {
            List<StudySummary.Entry> mine = trainedOf(es, a);
            double[] p = sizes(mine);
            Marks.Axis xAxis = Marks.Axis.of(true, p);
            Panel ch = new Panel("D_f, G_f, R_f of " + a + " (" + what + "); dashed: initialisation", "P (training images)",
                    "D_f, G_f, R_f", true, true);
            List<Function<StudySummary.DGR, Estimate>> parts = List.of(StudySummary.DGR::d, StudySummary.DGR::g, StudySummary.DGR::r);
            String[] names = {"D_f", "G_f", "R_f"};
            for (int k = 0; k < 3; k++) {
                Function<StudySummary.DGR, Estimate> part = parts.get(k);
                curve(names[k], mine, p, e -> part.apply(e.trained()), color(k), false).draw(ch, xAxis, Marks.dodge(k, 3));
            }
            for (int k = 0; k < 3; k++) {
                Function<StudySummary.DGR, Estimate> part = parts.get(k);
                curve(names[k] + " init", mine, p, e -> e.init() == null ? null : part.apply(e.init()), color(k), true).draw(ch, xAxis, Marks.dodge(k, 3));
            }
            ch.notes(notes(mine));
            Path file = dir.resolve("dgr_vs_p_" + tag + "_" + safe(a) + ".png");
            ch.write(file);
            files.add(file.getFileName().toString());
        }
        return files;
    }

    private static String initVsTrained(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        List<StudySummary.Entry> top = new ArrayList<>();
        for (String a : archs) {
            top.add(es.stream().filter(x -> x.label().equals(a)).max(Comparator.comparingInt(StudySummary.Entry::trainSize)).orElseThrow());
        }
        List<Estimate> init = top.stream().map(StudyFigures::rInit).toList(), trained = top.stream().map(e -> e.trained().r()).toList();
        List<Estimate> both = new ArrayList<>(init);
        both.addAll(trained);
        // one scale on both axes, so that the diagonal stays straight
        boolean log = wide(both);
        Marks.Axis axis = Marks.Axis.of(log, ends(both));
        Panel ch = new Panel("R_f at initialisation and after training, largest P (" + what + ")", "R_f at initialisation",
                "R_f after training", log, log);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (StudySummary.Entry e : top) {
            lo = Math.min(lo, Math.min(e.rInit(), e.rTrained()));
            hi = Math.max(hi, Math.max(e.rInit(), e.rTrained()));
        }
        points(ch, top.stream().map(e -> e.label() + " (P=" + e.trainSize() + ")").toList(), init, trained,
                top.stream().map(e -> e.nonConverged() > 0).toList(), axis, axis);
        if (hi > 0 && Double.isFinite(lo)) {
            ch.add(line("R trained = R init", new double[]{lo, hi}, new double[]{lo, hi}, Color.GRAY, true).plain());
        }
        ch.notes(notes(top));
        ch.write(file);
        return file.getFileName().toString();
    }

    /** One marker per point with bars in both directions, hollow where {@code open}. */
    /** One marker per point with bars in both directions, hollow where {@code open}; caps sized on the axes of everything drawn. */
    private static void points(Panel ch, List<String> labels, List<Estimate> x, List<Estimate> y, List<Boolean> open, Marks.Axis xAxis,
                               Marks.Axis yAxis) {
        for (int i = 0; i < labels.size(); i++) {
            Estimate ex = x.get(i) == null ? Estimate.point(Double.NaN) : x.get(i), ey = y.get(i);
            double[] px = {ex.value()}, py = {ey.value()};
            ch.add(line(labels.get(i), px, py, color(i), false));
            Marks.add(ch.series(), Marks.vertical(px, new Estimate[]{ey}, color(i), xAxis), Marks.horizontal(new Estimate[]{ex}, py, color(i), yAxis),
                    Marks.hollow(px, py, new boolean[]{open.get(i)}));
        }
    }

    /** Values and interval ends of {@code es} (nulls left out), to size an axis. */
    private static double[] ends(List<Estimate> es) {
        return es.stream().filter(java.util.Objects::nonNull).flatMapToDouble(e -> java.util.stream.DoubleStream.of(e.value(), e.lo(), e.hi())).toArray();
    }

    private static String errorVsRf(StudySummary.Fit fit, String what, List<String> notes, Path file) throws IOException {
        PowerLaw law = fit.law();
        String b = fmt3(law.b()) + (fit.b().hasInterval() ? "\n  b in [" + fmt3(fit.b().lo()) + ", " + fmt3(fit.b().hi()) + "]" : "");
        String corr = law.n() == 2 ? "corr " + (law.corr() > 0 ? "+1" : "-1") + ": 2 nets,\n  +-1 by construction"
                : "corr " + fmt3(law.corr()) + (fit.corr().hasInterval() ? "\n  in [" + fmt3(fit.corr().lo()) + ", " + fmt3(fit.corr().hi()) + "]" : "");
        List<Estimate> r = fit.points().stream().map(StudySummary.Point::r).toList(), eps = fit.points().stream().map(StudySummary.Point::eps).toList();
        Panel ch = new Panel("Test error against R_f, largest P (" + what + ")", "R_f after training", "test error eps_t", wide(r), wide(eps));
        String fitLabel = String.format(Locale.ROOT, "fit eps = %.3g R^%s\n%s", law.a(), b, corr);
        points(ch, fit.archs(), r, eps, fit.points().stream().map(p -> p.nonConverged() > 0).toList(), Marks.Axis.of(ch.logX(), ends(r)),
                Marks.Axis.of(ch.logY(), ends(eps)));
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double rv : fit.r()) {
            if (rv > 0) {
                lo = Math.min(lo, rv);
                hi = Math.max(hi, rv);
            }
        }
        if (Double.isFinite(law.b()) && hi > lo) {
            int n = 20;
            double[] x = new double[n], y = new double[n];
            for (int k = 0; k < n; k++) {
                x[k] = lo * Math.pow(hi / lo, k / (n - 1.0));
                y[k] = law.at(x[k]);
            }
            ch.add(line(fitLabel, x, y, Color.GRAY, true).plain());
        } else {
            ch.note(fitLabel);
        }
        ch.notes(notes);
        ch.write(file);
        return file.getFileName().toString();
    }

    /**
     * A log axis for values (with their intervals) that span at least a factor 5; a linear one below,
     * where a log axis would have only two to four of its m 10^k ticks to read values by.
     */
    static boolean wide(List<Estimate> values) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Estimate e : values) {
            if (e == null) {
                continue;
            }
            for (double v : new double[]{e.value(), e.lo(), e.hi()}) {
                if (Double.isFinite(v) && v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return !(hi > 0) || hi / lo >= 5;
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Fig. 14 from the summary: each architecture's entry at its largest P with layers, the output at relative depth 1. */
    private static String layers(List<StudySummary.Entry> es, Set<String> archs, String what, Path file) throws IOException {
        Panel ch = new Panel("R_f by relative depth, largest P (" + what + "); dashed: initialisation", "relative depth", "R_f", false, true);
        Marks.Axis xAxis = new Marks.Axis(false, 1);
        List<StudySummary.Entry> drawn = new ArrayList<>();
        int i = 0;
        for (String a : archs) {
            StudySummary.Entry e = es.stream().filter(x -> x.label().equals(a) && !x.layers().isEmpty())
                    .max(Comparator.comparingInt(StudySummary.Entry::trainSize)).orElse(null);
            if (e == null) {
                i++;
                continue;
            }
            drawn.add(e);
            List<StudySummary.Layer> ls = new ArrayList<>(e.layers().values());
            int n = ls.size() + 1;
            double[] depth = new double[n];
            Estimate[] trained = new Estimate[n], init = new Estimate[n];
            for (int l = 0; l < ls.size(); l++) {
                depth[l] = ls.get(l).relativeDepth();
                trained[l] = ls.get(l).trained().r();
                init[l] = ls.get(l).init() == null ? null : ls.get(l).init().r();
            }
            depth[n - 1] = 1.0;
            trained[n - 1] = e.trained().r();
            init[n - 1] = rInit(e);
            boolean[] open = new boolean[n];
            java.util.Arrays.fill(open, e.nonConverged() > 0);
            double dodge = Marks.dodge(i, archs.size());
            new Curve(a + " (P=" + e.trainSize() + ")", depth, trained, open, color(i), false).draw(ch, xAxis, dodge);
            new Curve(a + " init", depth, init, open, color(i), true).draw(ch, xAxis, dodge);
            i++;
        }
        ch.notes(notes(drawn));
        ch.write(file);
        return file.getFileName().toString();
    }
}
