package org.diffeo4j.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.Margins;
import org.diffeo4j.stability.ProbeResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code measure --per-probe}: every probe's D_i = ||f(tau x_i) - f(x_i)||^2 and G_i (raw and divided
 * by the cell's normalisation), against the net's margin on the clean probe and its correctness: the
 * quantitative form of the paper's Section 7 (a low R_f from large gradients near the decision
 * boundary). One CSV row per (cell, realisation, probe); JSON the same, grouped by realisation;
 * a figure of D_i / deno and G_i / deno against the margin (log y), one panel per cell.
 */
public final class ProbeReport {
    /** Panels drawn at most: beyond that the figure shows the first cells (the CSV has them all). */
    public static final int MAX_PANELS = 6;

    private ProbeReport() {
    }

    /** One row per (cell, realisation, probe); empty fields where there are no labels. */
    public static String csv(List<ProbeResult> results, Margins m) {
        StringBuilder s = new StringBuilder("cut,delta,T,realisation,probe,label,predicted,correct,margin,D,G,D_norm,G_norm,margin_kind\n");
        for (ProbeResult r : results) {
            for (int i = 0; i < r.d().length; i++) {
                s.append(String.format(Locale.ROOT, "%d,%s,%.9g,%d,%d,%s,%d,%s,%.9g,%.9g,%.9g,%.9g,%.9g,%s%n", r.cut(),
                        Double.isNaN(r.delta()) ? "" : String.format(Locale.ROOT, "%g", r.delta()), r.temperature(), r.realisation(), i,
                        m.labels() == null ? "" : String.valueOf(m.labels()[i]), m.predicted()[i],
                        m.correct() == null ? "" : String.valueOf(m.correct()[i]), m.margin()[i], r.d()[i], r.g()[i],
                        r.d()[i] / r.deno(), r.g()[i] / r.deno(), m.labels() == null ? "top1-top2" : "true-best_other"));
            }
        }
        return s.toString();
    }

    /**
     * {@code {"margin": kind, "probes": [{index, label, predicted, correct, margin}], "cells": [{cut, delta,
     * T, realisation, deno, D_avg, G_avg, D: [...], G: [...]}]}}; D_avg, G_avg are the per-probe values
     * averaged by {@code average} and normalised (equal to D_f, G_f with the mean).
     */
    public static String json(List<ProbeResult> results, Margins m, Average average, String noise) {
        JsonObject root = new JsonObject();
        root.addProperty("margin", m.kind());
        root.addProperty("average", average.cliName());
        root.addProperty("noise", noise);
        JsonArray probes = new JsonArray();
        for (int i = 0; i < m.margin().length; i++) {
            JsonObject p = new JsonObject();
            p.addProperty("index", i);
            if (m.labels() != null) {
                p.addProperty("label", m.labels()[i]);
                p.addProperty("correct", m.correct()[i]);
            }
            p.addProperty("predicted", m.predicted()[i]);
            p.add("margin", finite(m.margin()[i]));
            probes.add(p);
        }
        root.add("probes", probes);
        JsonArray cells = new JsonArray();
        for (ProbeResult r : results) {
            JsonObject c = new JsonObject();
            c.addProperty("cut", r.cut());
            c.add("delta", Double.isNaN(r.delta()) ? JsonNull.INSTANCE : finite(r.delta()));
            c.addProperty("T", r.temperature());
            c.addProperty("realisation", r.realisation());
            c.add("deno", finite(r.deno()));
            c.add("D_avg", finite(r.averageD(average)));
            c.add("G_avg", finite(r.averageG(average)));
            c.add("D", array(r.d()));
            c.add("G", array(r.g()));
            cells.add(c);
        }
        root.add("cells", cells);
        return StrictJson.pretty(root, "the per-probe JSON");
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        Arrays.stream(v).forEach(x -> a.add(finite(x)));
        return a;
    }

    private static com.google.gson.JsonElement finite(double v) {
        return Double.isFinite(v) ? new com.google.gson.JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /**
     * D_i / deno (dots) and G_i / deno against the margin, log y, one panel per cell (realisations
     * pooled), with the median of each in ten margin bins of equal count as lines. Values that are not
     * positive cannot sit on a log axis and are left out of the figure only.
     */
    public static Figure chart(List<ProbeResult> results, Margins m, String noise) {
        List<String> keys = new ArrayList<>();
        results.forEach(r -> {
            String k = key(r);
            if (!keys.contains(k)) {
                keys.add(k);
            }
        });
        List<Plot> panels = new ArrayList<>();
        for (String key : keys.subList(0, Math.min(MAX_PANELS, keys.size()))) {
            List<ProbeResult> cell = results.stream().filter(r -> key(r).equals(key)).toList();
            List<double[]> dPts = new ArrayList<>(), gPts = new ArrayList<>();
            for (ProbeResult r : cell) {
                for (int i = 0; i < r.d().length; i++) {
                    dPts.add(new double[]{m.margin()[i], r.d()[i] / r.deno()});
                    gPts.add(new double[]{m.margin()[i], r.g()[i] / r.deno()});
                }
            }
            List<Series> s = new ArrayList<>();
            s.add(dots("D_i", dPts, Plots.colour(0)));
            s.add(dots("G_i (" + noise + ")", gPts, Plots.colour(1)));
            s.add(binnedMedian("median D_i (10 bins)", dPts, Plots.colour(0)));
            s.add(binnedMedian("median G_i", gPts, Plots.colour(1)));
            panels.add(Plot.of(key, Plot.Axis.linear("margin: " + m.kind()), Plot.Axis.log("D_i / deno, G_i / deno"),
                    s.stream().filter(x -> x.x().length > 0).toList()));
        }
        return Plots.row(panels, 620, 500);
    }

    private static String key(ProbeResult r) {
        return "c = " + r.cut() + (Double.isNaN(r.delta()) ? String.format(Locale.ROOT, ", T = %.3g", r.temperature())
                : String.format(Locale.ROOT, ", delta = %.3g", r.delta()));
    }

    private static Series dots(String label, List<double[]> pts, java.awt.Color colour) {
        List<double[]> ok = pts.stream().filter(p -> p[1] > 0 && Double.isFinite(p[1]) && Double.isFinite(p[0])).toList();
        return Series.dots(label, ok.stream().mapToDouble(p -> p[0]).toArray(), ok.stream().mapToDouble(p -> p[1]).toArray(), colour, 4);
    }

    /** The median of y in ten bins of equal count along x, at each bin's median x. */
    static Series binnedMedian(String label, List<double[]> pts, java.awt.Color colour) {
        List<double[]> ok = new ArrayList<>(pts.stream().filter(p -> p[1] > 0 && Double.isFinite(p[1]) && Double.isFinite(p[0])).toList());
        ok.sort((a, b) -> Double.compare(a[0], b[0]));
        int bins = Math.min(10, ok.size());
        double[] xs = new double[bins], ys = new double[bins];
        for (int b = 0; b < bins; b++) {
            List<double[]> part = ok.subList(b * ok.size() / bins, (b + 1) * ok.size() / bins);
            double[] px = part.stream().mapToDouble(p -> p[0]).toArray(), py = part.stream().mapToDouble(p -> p[1]).toArray();
            xs[b] = Average.MEDIAN.of(px, px.length);
            ys[b] = Average.MEDIAN.of(py, py.length);
        }
        return Series.line(label, xs, ys, colour);
    }
}
