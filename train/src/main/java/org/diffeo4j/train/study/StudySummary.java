package org.diffeo4j.train.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.diffeo4j.train.study.Bootstrap.Estimate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The study's summary from its cells: one entry per (dataset, arch, train size, augmentation, cut, strength) with
 * R, D, G at initialisation and after training (and per hidden layer) log-averaged over seeds (R's
 * geometric mean, as the paper averages R_f) and the test error's arithmetic mean; one fit eps_t = a R_f^b
 * per (dataset, cut, strength) over the architectures (each augmentation its own point, labelled "arch
 * +augment") at their largest train size, each point the log-average over seeds (a test error of 0
 * counts as half an error on the test set so its log stays finite); one slope of ln R_f against ln P
 * per (dataset, arch +augment, cut, strength). Every value carries a percentile bootstrap 95% interval
 * over seeds ({@link Bootstrap}); cells that did not converge ({@link Cell#converged()}) are kept in
 * every value and counted.
 */
public final class StudySummary {
    /**
     * D_f, G_f and R_f log-averaged over seeds, each with its interval; G_f^spec and R_f^spec, D_f* and R_f*
     * likewise where every seed has them (else null).
     */
    public record DGR(Estimate d, Estimate g, Estimate r, Estimate gSpec, Estimate rSpec, Estimate dStar, Estimate rStar) {
        /** Without the spectral control. */
        public DGR(Estimate d, Estimate g, Estimate r) {
            this(d, g, r, null, null);
        }

        /** Without the worst case. */
        public DGR(Estimate d, Estimate g, Estimate r, Estimate gSpec, Estimate rSpec) {
            this(d, g, r, gSpec, rSpec, null, null);
        }
    }

    /** A hidden layer's relative depth and its D, G, R (init null when not measured at initialisation). */
    public record Layer(double relativeDepth, DGR init, DGR trained) {
    }

    /**
     * One summary row.
     *
     * @param init null for models measured, not trained
     * @param error the test error's mean over seeds
     * @param errorLog the test error's log-average over seeds (floored at half an error), as fitted
     * @param layers hidden layers in order (empty unless measured)
     * @param nonConverged cells of the row that did not converge (kept in every value)
     * @param selected which checkpoint was measured ({@link #selection}); null when no cell says
     */
    public record Entry(String dataset, String arch, int trainSize, int cut, double delta, double temperature, int seeds,
                        DGR init, DGR trained, Estimate error, Estimate errorLog, long parameters, int depth, String augment,
                        Map<String, Layer> layers, int nonConverged, String selected) {
        /** The arch, with " +AUGMENT" when trained with augmentation ({@link Cell#label()}). */
        public String label() {
            return Cell.label(arch, augment);
        }

        public double rInit() {
            return init == null ? Double.NaN : init.r().value();
        }

        public double rTrained() {
            return trained.r().value();
        }

        public double dInit() {
            return init == null ? Double.NaN : init.d().value();
        }

        public double dTrained() {
            return trained.d().value();
        }

        public double gInit() {
            return init == null ? Double.NaN : init.g().value();
        }

        public double gTrained() {
            return trained.g().value();
        }

        public double testError() {
            return error.value();
        }

        public double testErrorLogMean() {
            return errorLog.value();
        }
    }

    /** One architecture of a fit: R_f and the test error log-averaged over its seeds at its largest train size. */
    public record Point(String label, int trainSize, int seeds, Estimate r, Estimate eps, int nonConverged) {
    }

    /**
     * A fit, the points it was fitted to, and bootstrap intervals of its exponent and correlation
     * (no interval of corr with two points: it is then +-1 by construction).
     */
    public record Fit(String dataset, int cut, double delta, double temperature, List<Point> points, PowerLaw law, Estimate b, Estimate corr) {
        public List<String> archs() {
            return points.stream().map(Point::label).toList();
        }

        public double[] r() {
            return points.stream().mapToDouble(p -> p.r().value()).toArray();
        }

        public double[] eps() {
            return points.stream().mapToDouble(p -> p.eps().value()).toArray();
        }

        public int nonConverged() {
            return points.stream().mapToInt(Point::nonConverged).sum();
        }
    }

    /** The slope of ln R_f (trained) against ln P over an architecture's train sizes, least squares on the log-averages. */
    public record Slope(String dataset, String arch, String augment, int cut, double delta, double temperature, List<Integer> trainSizes,
                        Estimate slope, int nonConverged) {
        public String label() {
            return Cell.label(arch, augment);
        }
    }

    private final List<Entry> entries;
    private final List<Fit> fits;
    private final List<Slope> slopes;
    private final int cells;
    private final int nonConverged;
    private final String selected;

    private StudySummary(List<Entry> entries, List<Fit> fits, List<Slope> slopes, int cells, int nonConverged, String selected) {
        this.entries = entries;
        this.cells = cells;
        this.fits = fits;
        this.slopes = slopes;
        this.nonConverged = nonConverged;
        this.selected = selected;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<Fit> fits() {
        return fits;
    }

    public List<Slope> slopes() {
        return slopes;
    }

    /** Cells (lines of cells.jsonl) summarised. */
    public int cells() {
        return cells;
    }

    /** Cells (lines of cells.jsonl) that did not converge, over the whole study. */
    public int nonConverged() {
        return nonConverged;
    }

    /** Which checkpoints were measured over the whole study ({@link #selection}); null when no cell says. */
    public String selected() {
        return selected;
    }

    /** True when some cell was measured at the checkpoint of best test accuracy (its test error is then optimistic). */
    public boolean bestTest() {
        return Cell.Fit.BEST_TEST.equals(selected);
    }

    /**
     * Summarises {@code cells}; {@code testImages} per dataset bounds a zero test error from below.
     * The result does not depend on the order of the cells.
     */
    public static StudySummary of(List<Cell> cells, Map<String, Integer> testImages) {
        List<Cell> sorted = new ArrayList<>(cells);
        // Numeric order of P (keys sort 1024 before 256), no augmentation first; the key last makes the order total.
        sorted.sort(Comparator.comparing(Cell::dataset).thenComparing(Cell::arch).thenComparingInt(Cell::trainSize)
                .thenComparing(c -> c.augment().equals(Cell.NONE) ? "" : c.augment()).thenComparingLong(Cell::seed).thenComparingInt(Cell::cut).thenComparing(Cell::key));
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : sorted) {
            groups.computeIfAbsent(String.join("|", c.dataset(), c.arch(), Integer.toString(c.trainSize()), c.augment(), Integer.toString(c.cut()),
                    Double.toString(c.delta()), Double.toString(c.temperature())), k -> new ArrayList<>()).add(c);
        }
        List<Entry> entries = new ArrayList<>();
        Map<Entry, List<Cell>> cellsOf = new IdentityHashMap<>();
        for (List<Cell> g : groups.values()) {
            Entry e = entry(g, 0.5 / testImages.getOrDefault(g.get(0).dataset(), 10000));
            entries.add(e);
            cellsOf.put(e, g);
        }
        Map<String, List<Entry>> byCondition = new LinkedHashMap<>();
        for (Entry e : entries) {
            byCondition.computeIfAbsent(e.dataset() + "|" + e.cut() + "|" + e.delta() + "|" + e.temperature(), k -> new ArrayList<>()).add(e);
        }
        List<Fit> fits = new ArrayList<>();
        List<Slope> slopes = new ArrayList<>();
        for (List<Entry> es : byCondition.values()) {
            Map<String, List<Entry>> byLabel = new LinkedHashMap<>();
            for (Entry e : es) {
                byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e);
            }
            List<Entry> largest = new ArrayList<>();
            for (List<Entry> mine : byLabel.values()) {
                largest.add(mine.stream().max(Comparator.comparingInt(Entry::trainSize)).orElseThrow());
                Slope sl = slope(mine, cellsOf);
                if (sl != null) {
                    slopes.add(sl);
                }
            }
            fits.add(fit(largest, cellsOf, testImages));
        }
        return new StudySummary(entries, fits, slopes, cells.size(), (int) cells.stream().filter(c -> !c.converged()).count(), selection(cells));
    }

    /**
     * The checkpoint measured over {@code cells}: "best-test" when any was chosen on the test set (that
     * taints the group's test error), else the one all recorded cells share, else their names joined
     * by ", "; null when no cell records it.
     */
    static String selection(List<Cell> cells) {
        java.util.TreeSet<String> s = new java.util.TreeSet<>();
        for (Cell c : cells) {
            if (c.fit() != null) {
                s.add(c.fit().selected());
            }
        }
        if (s.isEmpty()) {
            return null;
        }
        return s.contains(Cell.Fit.BEST_TEST) ? Cell.Fit.BEST_TEST : String.join(", ", s);
    }

    private static Entry entry(List<Cell> g, double floor) {
        Cell f = g.get(0);
        boolean hasInit = g.stream().allMatch(c -> c.init() != null);
        double[] err = values(g, Cell::testError), floored = values(g, c -> Math.max(c.testError(), floor));
        Estimate[] e = Bootstrap.estimate(new int[]{g.size()}, p -> new double[]{Bootstrap.mean(err, p[0]), Bootstrap.logMean(floored, p[0])});
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, Cell.Layer> l : f.layers().entrySet()) {
            String name = l.getKey();
            if (!g.stream().allMatch(c -> c.layers().containsKey(name))) {
                continue; // a layer some seed lacks has no average over the seeds
            }
            boolean layerInit = g.stream().allMatch(c -> c.layers().get(name).init() != null);
            layers.put(name, new Layer(l.getValue().relativeDepth(), layerInit ? dgr(g, c -> c.layers().get(name).init()) : null,
                    dgr(g, c -> c.layers().get(name).trained())));
        }
        return new Entry(f.dataset(), f.arch(), f.trainSize(), f.cut(), f.delta(), f.temperature(), g.size(), hasInit ? dgr(g, Cell::init) : null,
                dgr(g, Cell::trained), e[0], e[1], f.parameters(), f.depth(), f.augment(), Collections.unmodifiableMap(layers),
                (int) g.stream().filter(c -> !c.converged()).count(), selection(g));
    }

    private static DGR dgr(List<Cell> g, Function<Cell, Cell.DGR> which) {
        double[] d = values(g, c -> which.apply(c).d()), gf = values(g, c -> which.apply(c).g()), r = values(g, c -> which.apply(c).r());
        Estimate[] e = Bootstrap.estimate(new int[]{g.size()},
                p -> new double[]{Bootstrap.logMean(d, p[0]), Bootstrap.logMean(gf, p[0]), Bootstrap.logMean(r, p[0])});
        Estimate[] s = {null, null}, w = {null, null};
        if (g.stream().allMatch(c -> which.apply(c).hasSpectral())) {
            // every seed has the spectral control: its G_f^spec and R_f^spec with intervals, resampled as the others
            double[] gs = values(g, c -> which.apply(c).gSpec()), rs = values(g, c -> which.apply(c).rSpec());
            s = Bootstrap.estimate(new int[]{g.size()}, p -> new double[]{Bootstrap.logMean(gs, p[0]), Bootstrap.logMean(rs, p[0])});
        }
        if (g.stream().allMatch(c -> which.apply(c) != null && which.apply(c).hasWorst())) {
            double[] ds = values(g, c -> which.apply(c).dStar()), rs = values(g, c -> which.apply(c).rStar());
            w = Bootstrap.estimate(new int[]{g.size()}, p -> new double[]{Bootstrap.logMean(ds, p[0]), Bootstrap.logMean(rs, p[0])});
        }
        return new DGR(e[0], e[1], e[2], s[0], s[1], w[0], w[1]);
    }

    /** The fit over the architectures' largest-P entries; b and corr resampled by seeds within each point. */
    private static Fit fit(List<Entry> largest, Map<Entry, List<Cell>> cellsOf, Map<String, Integer> testImages) {
        int k = largest.size();
        int[] sizes = new int[k];
        double[][] r = new double[k][], eps = new double[k][];
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Entry e = largest.get(i);
            List<Cell> g = cellsOf.get(e);
            double floor = 0.5 / testImages.getOrDefault(e.dataset(), 10000);
            sizes[i] = g.size();
            r[i] = values(g, c -> c.trained().r());
            eps[i] = values(g, c -> Math.max(c.testError(), floor));
            points.add(new Point(e.label(), e.trainSize(), e.seeds(), e.trained().r(), e.errorLog(), e.nonConverged()));
        }
        PowerLaw law = PowerLaw.fit(points.stream().mapToDouble(p -> p.r().value()).toArray(), points.stream().mapToDouble(p -> p.eps().value()).toArray());
        Estimate[] bc = Bootstrap.estimate(sizes, picks -> {
            double[] rm = new double[k], em = new double[k];
            for (int i = 0; i < k; i++) {
                rm[i] = Bootstrap.logMean(r[i], picks[i]);
                em[i] = Bootstrap.logMean(eps[i], picks[i]);
            }
            PowerLaw l = PowerLaw.fit(rm, em);
            return new double[]{l.b(), l.corr()};
        });
        Entry f = largest.get(0);
        Estimate corr = law.n() == 2 ? bc[1].withoutInterval() : bc[1];
        return new Fit(f.dataset(), f.cut(), f.delta(), f.temperature(), List.copyOf(points), law, bc[0], corr);
    }

    /** The slope of ln R_f against ln P over one architecture's trained entries; null with fewer than two train sizes. */
    private static Slope slope(List<Entry> mine, Map<Entry, List<Cell>> cellsOf) {
        List<Entry> es = mine.stream().filter(e -> e.trainSize() > 0).sorted(Comparator.comparingInt(Entry::trainSize)).toList();
        if (es.size() < 2) {
            return null;
        }
        int k = es.size();
        int[] sizes = new int[k];
        double[] p = new double[k];
        double[][] r = new double[k][];
        for (int i = 0; i < k; i++) {
            List<Cell> g = cellsOf.get(es.get(i));
            sizes[i] = g.size();
            p[i] = es.get(i).trainSize();
            r[i] = values(g, c -> c.trained().r());
        }
        Estimate s = Bootstrap.estimate(sizes, picks -> {
            double[] rm = new double[k];
            for (int i = 0; i < k; i++) {
                rm[i] = Bootstrap.logMean(r[i], picks[i]);
            }
            return new double[]{PowerLaw.fit(p, rm).b()};
        })[0];
        Entry f = es.get(0);
        return new Slope(f.dataset(), f.arch(), f.augment(), f.cut(), f.delta(), f.temperature(), es.stream().map(Entry::trainSize).toList(), s,
                es.stream().mapToInt(Entry::nonConverged).sum());
    }

    private static double[] values(List<Cell> g, ToDoubleFunction<Cell> v) {
        return g.stream().mapToDouble(v).toArray();
    }

    /**
     * summary.json: {"name", "cells", "non_converged", "selected" (when cells say), "bootstrap": the
     * method, "entries": [...], "fit": the first fit, "fits": [...], "slopes": [...]}; strict JSON
     * (an absent value or interval is null, never NaN). Format: docs/study.md.
     */
    public String json(String name, int cells) {
        return SummaryFiles.json(this, name, cells);
    }

    /** The summary as the lines {@code diffeo study} prints: entries, slopes, fits, then what to trust ({@link SummaryFiles#text}). */
    public List<String> text() {
        return SummaryFiles.text(this);
    }

    /** "mnist c=3 delta=1.0" or "mnist c=3 T=0.0015": how lines and titles name a (dataset, cut, strength). */
    public static String condition(String dataset, int cut, double delta, double temperature) {
        return dataset + " c=" + cut + " " + (Double.isNaN(delta) ? "T=" + temperature : "delta=" + delta);
    }

    /** True when some entry was trained with augmentation. */
    public boolean augmented() {
        return entries.stream().anyMatch(e -> !e.augment().equals(Cell.NONE));
    }

    /**
     * summary.csv: one line per entry; an {@code augment} column after {@code arch} when some entry
     * was augmented; the intervals' ends and non_converged after the columns of before.
     */
    public String csv() {
        return SummaryFiles.csv(this);
    }
}
