package org.diffeo4j.attack;

import java.util.ArrayList;
import java.util.List;

/**
 * Projected ascent on spheres with backtracking, for a batch of walkers evaluated together. Walker w
 * climbs on the sphere {@code |p| = |start_w|}: from its best point b (value L_b, gradient g_b) it
 * proposes {@code p = cos(theta) b + sin(theta) |b| u}, u the unit tangent part of g_b (the gradient
 * projected on the tangent plane: a step along the sphere, then exactly on it again). A proposal that
 * raises L becomes b and theta grows by 3/2 (at most pi/2); one that does not is dropped and theta
 * halves. So L never decreases, every step costs one evaluation, and the best point is always on the
 * sphere. The gradient comes from the oracle (autograd) or from central finite differences along each
 * coordinate, {@code (L(b + h e_k) - L(b - h e_k)) / 2h}, computed only where b changed.
 */
final class SphereAscent {
    static final double THETA0 = 0.5, GROW = 1.5, SHRINK = 0.5, THETA_MAX = Math.PI / 2, THETA_MIN = 1e-4;
    /** Finite-difference step, relative to the rms coordinate |b| / sqrt(dim). */
    static final double FD_STEP = 1e-2;

    /** Evaluates points, each deforming (or perturbing) the probe of its walker. */
    interface Oracle {
        /**
         * @param walkers the walker of each point
         * @param points not modified
         * @param values one per point, overwritten
         * @param outputs one output row per point, set
         * @param gradients null for values only; else one array per point to fill with dL/dpoint
         */
        void evaluate(int[] walkers, double[][] points, double[] values, float[][] outputs, double[][] gradients);
    }

    /** Per walker: the best point, its value and outputs; and how many points were evaluated. */
    record Result(double[][] best, double[] value, float[][] outputs, long evaluations, long gradientPasses) {
    }

    private SphereAscent() {
    }

    /**
     * Climbs from {@code starts} (not modified) for {@code steps} proposals each.
     *
     * @param autograd true: the oracle gives gradients; false: central finite differences
     */
    static Result run(double[][] starts, int steps, boolean autograd, Oracle oracle) {
        int n = starts.length, dim = n == 0 ? 0 : starts[0].length;
        double[][] best = new double[n][], grad = new double[n][];
        double[] value = new double[n], theta = new double[n], radius = new double[n];
        float[][] outputs = new float[n][];
        int[] all = new int[n];
        for (int w = 0; w < n; w++) {
            best[w] = starts[w].clone();
            radius[w] = Math.sqrt(dot(best[w], best[w]));
            theta[w] = THETA0;
            all[w] = w;
        }
        long[] counts = new long[2];
        evaluate(oracle, all, best, value, outputs, grad, autograd, counts, dim);
        if (!autograd) {
            finiteDifferences(oracle, all, best, radius, grad, counts);
        }
        for (int s = 0; s < steps; s++) {
            List<Integer> active = new ArrayList<>();
            List<double[]> proposals = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                double[] p = theta[w] >= THETA_MIN && radius[w] > 0 ? propose(best[w], grad[w], radius[w], theta[w]) : null;
                if (p != null) {
                    active.add(w);
                    proposals.add(p);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            int[] who = active.stream().mapToInt(Integer::intValue).toArray();
            double[][] points = proposals.toArray(double[][]::new);
            double[] v = new double[who.length];
            float[][] out = new float[who.length][];
            double[][] g = new double[who.length][];
            evaluate(oracle, who, points, v, out, g, autograd, counts, dim);
            List<Integer> moved = new ArrayList<>();
            for (int a = 0; a < who.length; a++) {
                int w = who[a];
                if (v[a] > value[w]) {
                    best[w] = points[a];
                    value[w] = v[a];
                    outputs[w] = out[a];
                    grad[w] = g[a];
                    theta[w] = Math.min(theta[w] * GROW, THETA_MAX);
                    moved.add(w);
                } else {
                    theta[w] *= SHRINK;
                }
            }
            if (!autograd && !moved.isEmpty() && s < steps - 1) { // the last step's gradient would not be used
                finiteDifferences(oracle, moved.stream().mapToInt(Integer::intValue).toArray(), best, radius, grad, counts);
            }
        }
        return new Result(best, value, outputs, counts[0], counts[1]);
    }

    private static void evaluate(Oracle oracle, int[] who, double[][] points, double[] values, float[][] outputs, double[][] grads,
                                 boolean autograd, long[] counts, int dim) {
        double[][] g = null;
        if (autograd) {
            g = new double[who.length][dim];
        }
        oracle.evaluate(who, points, values, outputs, g);
        if (autograd) {
            System.arraycopy(g, 0, grads, 0, who.length);
            counts[1] += who.length;
        }
        counts[0] += who.length;
    }

    /** Central differences along every coordinate at the best points of {@code who}, into {@code grad}. */
    private static void finiteDifferences(Oracle oracle, int[] who, double[][] best, double[] radius, double[][] grad, long[] counts) {
        int dim = best[who[0]].length, per = 2 * dim;
        int[] walkers = new int[who.length * per];
        double[][] points = new double[walkers.length][];
        double[] h = new double[who.length];
        for (int a = 0; a < who.length; a++) {
            int w = who[a];
            h[a] = FD_STEP * Math.max(radius[w], 1e-300) / Math.sqrt(dim);
            for (int k = 0; k < dim; k++) {
                for (int sign = 0; sign < 2; sign++) {
                    double[] p = best[w].clone();
                    p[k] += sign == 0 ? h[a] : -h[a];
                    walkers[a * per + 2 * k + sign] = w;
                    points[a * per + 2 * k + sign] = p;
                }
            }
        }
        double[] v = new double[points.length];
        oracle.evaluate(walkers, points, v, new float[points.length][], null);
        counts[0] += points.length;
        for (int a = 0; a < who.length; a++) {
            double[] g = new double[dim];
            for (int k = 0; k < dim; k++) {
                g[k] = (v[a * per + 2 * k] - v[a * per + 2 * k + 1]) / (2 * h[a]);
            }
            grad[who[a]] = g;
        }
    }

    /** The point at angle theta from b along the tangent part of g, on the sphere of radius r; null without a tangent direction. */
    static double[] propose(double[] b, double[] g, double r, double theta) {
        double along = dot(g, b) / (r * r);
        double[] t = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            t[k] = g[k] - along * b[k];
        }
        double tn = Math.sqrt(dot(t, t));
        if (!(tn > 0) || !Double.isFinite(tn)) {
            return null;
        }
        double c = Math.cos(theta), s = Math.sin(theta) * r / tn;
        double[] p = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            p[k] = c * b[k] + s * t[k];
        }
        return ModeVectors.scaleTo(p, r * r); // on the sphere up to rounding already; exactly so now
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
