package org.diffeo4j.stability;

/**
 * The output's per-probe distances in one realisation of one cell, before normalisation:
 * {@code d[i] = ||f(tau x_i) - f(x_i)||^2} and {@code g[i] = ||f(x_i + eta_i) - f(x_i)||^2}. With
 * {@code --average mean}, {@code mean_i d[i] / deno} is D_f exactly (a sum over units commutes with
 * a mean over probes); with the median it is not, since D_f is a sum over units of per-unit medians.
 *
 * @param delta the typical displacement asked for, or NaN when the temperature was given
 * @param realisation r, whose probe i drew its diffeo and noise at sample address {@code r*P + i}
 * @param deno the normalisation of D_f and G_f (the output layer's)
 */
public record ProbeResult(int cut, double delta, double temperature, int realisation, double deno, double[] d, double[] g) {
    public ProbeResult {
        if (d == null || g == null || d.length != g.length || d.length == 0) {
            throw new IllegalArgumentException("d and g must hold one value per probe, found "
                    + (d == null ? "null" : d.length) + " and " + (g == null ? "null" : g.length));
        }
        if (realisation < 0) {
            throw new IllegalArgumentException("realisation must be >= 0, found " + realisation);
        }
        d = d.clone();
        g = g.clone();
    }

    /** {@code average_i d[i] / deno}: D_f itself with the mean (see the class comment for the median). */
    public double averageD(Average average) {
        return average.of(d.clone(), d.length) / deno;
    }

    /** {@code average_i g[i] / deno}. */
    public double averageG(Average average) {
        return average.of(g.clone(), g.length) / deno;
    }

    /** {@code ||after_i - before_i||^2} for every probe i, summed over units in double. */
    static double[] distances(org.diffeo4j.model.Activations before, org.diffeo4j.model.Activations after) {
        double[] out = new double[before.count()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int u = 0; u < before.units(); u++) {
                double diff = (double) after.get(i, u) - before.get(i, u);
                s += diff * diff;
            }
            out[i] = s;
        }
        return out;
    }
}
