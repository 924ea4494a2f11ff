package org.diffeo4j.train.study;

/**
 * The fit eps_t = a * R_f^b of Fig. 5: least squares of log eps = log a + b log R over the points,
 * and the correlation coefficient Cov(log eps, log R) / sqrt(Var(log eps) Var(log R)).
 *
 * @param n points used (finite and positive on both axes)
 */
public record PowerLaw(double a, double b, double corr, int n) {
    /** Fits the points (r[i], eps[i]); NaN parameters when fewer than two usable points. */
    public static PowerLaw fit(double[] r, double[] eps) {
        double sx = 0, sy = 0;
        int n = 0;
        for (int i = 0; i < r.length; i++) {
            if (usable(r[i], eps[i])) {
                sx += Math.log(r[i]);
                sy += Math.log(eps[i]);
                n++;
            }
        }
        if (n < 2) {
            return new PowerLaw(Double.NaN, Double.NaN, Double.NaN, n);
        }
        double mx = sx / n, my = sy / n, cxy = 0, cxx = 0, cyy = 0;
        for (int i = 0; i < r.length; i++) {
            if (usable(r[i], eps[i])) {
                double x = Math.log(r[i]) - mx, y = Math.log(eps[i]) - my;
                cxy += x * y;
                cxx += x * x;
                cyy += y * y;
            }
        }
        double b = cxy / cxx;
        return new PowerLaw(Math.exp(my - b * mx), b, cxy / Math.sqrt(cxx * cyy), n);
    }

    /** a * r^b. */
    public double at(double r) {
        return a * Math.pow(r, b);
    }

    private static boolean usable(double x, double y) {
        return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y);
    }
}
