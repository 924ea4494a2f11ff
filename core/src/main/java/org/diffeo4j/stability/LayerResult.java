package org.diffeo4j.stability;

import java.util.List;

/**
 * D_f, G_f and R_f of one layer over the realisations of a cell. Each realisation's R is its own
 * D/G, so {@code r.logmean = d.logmean / g.logmean}.
 *
 * @param deno the normalisation (the same for every realisation: it only sees the clean images)
 */
public record LayerResult(double deno, Summary d, Summary g, Summary r) {
    /** Combines the realisations of one layer. */
    public static LayerResult of(List<Sensitivities> realisations) {
        int k = realisations.size();
        double[] d = new double[k], g = new double[k], r = new double[k];
        for (int i = 0; i < k; i++) {
            d[i] = realisations.get(i).d();
            g[i] = realisations.get(i).g();
            r[i] = realisations.get(i).r();
        }
        return new LayerResult(realisations.get(0).deno(), Summary.of(d), Summary.of(g), Summary.of(r));
    }
}
