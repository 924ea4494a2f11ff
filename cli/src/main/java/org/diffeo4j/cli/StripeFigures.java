package org.diffeo4j.cli;

import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;
import org.diffeo4j.stripe.AlphaNet;
import org.diffeo4j.stripe.StripeCells;
import org.diffeo4j.stripe.StripeResult;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The two panels of Fig. 7: the stripe plane with a trained net's boundary, and R_f against P. */
final class StripeFigures {
    /** Half-width of the plotted square in the (x_par, x_perp1) plane, and grid cells per side for the boundary. */
    private static final double HALF = 3.5;
    private static final int GRID = 360;

    private StripeFigures() {
    }

    /**
     * The size drawn in the left panel: the largest P <= 1024 (points stay legible and retraining it
     * takes seconds), or the smallest P if all are larger.
     */
    static int figureTrainSize(int[] sorted) {
        int p = sorted[0];
        for (int v : sorted) {
            if (v <= 1024) {
                p = v;
            }
        }
        return p;
    }

    /**
     * Fig. 7 left: training points in the (x_par, x_perp1) plane coloured by label, the stripe planes,
     * and where sign(g) changes on the slice x_2 = ... = x_{d-1} = 0 (the trained net's decision boundary).
     */
    static Plot plane(StripeCells.Trained t) {
        int d = t.spec().dim(), p = t.trainSize();
        List<Double> px = new ArrayList<>(), py = new ArrayList<>(), mx = new ArrayList<>(), my = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            double u = t.x()[i * d], v = t.x()[i * d + 1];
            if (Math.abs(u) <= HALF && Math.abs(v) <= HALF) {
                (t.y()[i] > 0 ? px : mx).add(u);
                (t.y()[i] > 0 ? py : my).add(v);
            }
        }
        List<Series> s = new ArrayList<>();
        s.add(Series.dots("label +1", unbox(px), unbox(py), new Color(0xd62728), 5));
        s.add(Series.dots("label -1", unbox(mx), unbox(my), new Color(0x1f77b4), 5));
        s.add(boundary(t.outcome().net(), d));
        for (double b : t.spec().label().boundaries()) {
            s.add(Series.line(String.format("stripe plane x_par = %.3f", b), new double[]{b, b}, new double[]{-HALF, HALF},
                    new Color(0x999999)).dashed().plain());
        }
        return Plot.of("Stripe model, d = " + d + ", P = " + p + ", seed 0: trained net's boundary on x_2..x_" + (d - 1) + " = 0",
                Plot.Axis.linear("x_par (x_0)"), Plot.Axis.linear("x_perp (x_1)"), s);
    }

    /** Grid cells where sign(g) differs from the next cell right or up, as dots. */
    private static Series boundary(AlphaNet g, int d) {
        double[] sign = new double[(GRID + 1) * (GRID + 1)], x = new double[d];
        for (int j = 0; j <= GRID; j++) {
            for (int i = 0; i <= GRID; i++) {
                x[0] = -HALF + 2 * HALF * i / GRID;
                x[1] = -HALF + 2 * HALF * j / GRID;
                sign[j * (GRID + 1) + i] = Math.signum(g.value(x, 0));
            }
        }
        List<Double> bx = new ArrayList<>(), by = new ArrayList<>();
        for (int j = 0; j < GRID; j++) {
            for (int i = 0; i < GRID; i++) {
                double s = sign[j * (GRID + 1) + i];
                if (s != sign[j * (GRID + 1) + i + 1] || s != sign[(j + 1) * (GRID + 1) + i]) {
                    bx.add(-HALF + 2 * HALF * (i + 0.5) / GRID);
                    by.add(-HALF + 2 * HALF * (j + 0.5) / GRID);
                }
            }
        }
        return Series.dots("net's decision boundary (g = 0)", unbox(bx), unbox(by), Color.BLACK, 3);
    }

    /**
     * Fig. 7 right: log-averaged R_f against P, log-log, with R_f at initialisation dashed, the test
     * error, the least-squares line over R_f < 1, and a slope -1 triangle under the data.
     */
    static Plot rf(StripeResult r) {
        int n = r.rows().size();
        double[] p = new double[n], rf = new double[n], r0 = new double[n], err = new double[n], sd = new double[n], sd0 = new double[n];
        for (int k = 0; k < n; k++) {
            StripeResult.Row row = r.rows().get(k);
            p[k] = row.trainSize();
            rf[k] = row.r().logmean();
            r0[k] = row.rInit().logmean();
            sd[k] = row.r().stdLog();
            sd0[k] = row.rInit().stdLog();
            err[k] = row.testError();
        }
        List<Series> c = new ArrayList<>();
        c.add(Series.line("R_f after training", p, rf, Plots.colour(0)).withLnSpread(sd));
        c.add(Series.line("R_f at initialisation", p, r0, Plots.colour(1)).dashed().withLnSpread(sd0));
        c.add(Series.line("test error", p, err, Plots.colour(2)));
        if (r.fit().points() >= 2) {
            double[] fx = {r.fit().pMin(), r.fit().pMax()};
            double[] fy = {Math.exp(r.fit().intercept()) * Math.pow(fx[0], r.fit().slope()),
                    Math.exp(r.fit().intercept()) * Math.pow(fx[1], r.fit().slope())};
            c.add(Series.line(String.format(Locale.ROOT, "fit: slope %.2f +/- %s", r.fit().slope(), StripeReport.slopeErr(r.fit(), "%.2f")), fx, fy,
                    Plots.colour(4)).dashed().plain());
        }
        if (n >= 2) {
            // a slope -1 triangle spanning the middle of the P range, a factor 3 under the data
            double a = Math.sqrt(p[0] * p[n / 2]), b = a * Math.min(4, p[n - 1] / a), y0 = interpolate(p, rf, a) / 3;
            c.add(Series.line("slope -1", new double[]{a, b, a, a}, new double[]{y0, y0 * a / b, y0 * a / b, y0}, Color.BLACK).plain());
        }
        return Plot.of("Stripe model, d = " + r.spec().dim() + ", H = " + r.spec().width() + ", " + r.spec().seeds() + " seeds",
                Plot.Axis.log("training-set size P"), Plot.Axis.log("R_f (Eq. 6)   /   test error"), c);
    }

    /** Log-log interpolation of (p, v) at x inside [p_0, p_last]. */
    private static double interpolate(double[] p, double[] v, double x) {
        for (int k = 0; k + 1 < p.length; k++) {
            if (x <= p[k + 1]) {
                double t = Math.log(x / p[k]) / Math.log(p[k + 1] / p[k]);
                return Math.exp(Math.log(v[k]) + t * (Math.log(v[k + 1]) - Math.log(v[k])));
            }
        }
        return v[v.length - 1];
    }

    private static double[] unbox(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
