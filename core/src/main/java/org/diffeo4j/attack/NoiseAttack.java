package org.diffeo4j.attack;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;
import org.diffeo4j.random.Normals;

/**
 * Worst-case additive noise of a given norm per probe, {@code |eta_i| = rho_i} (the norm of the typical
 * deformation's displacement {@code |tau x_i - x_i|}, as G_f's noise has), maximising the same
 * {@link Target} as the diffeo attack, so that the worst case has a denominator as R_f has.
 * <ul>
 * <li>With gradients: {@link SphereAscent} from G_f's own Gaussian noise (the normals at (seed, sample
 * i, {@link Normals#STREAM_NOISE}), scaled to rho_i), with the model's input gradient, which is the
 * gradient with respect to eta.</li>
 * <li>Without: the linearisation at x. The Jacobian J = df/dx [K x CHW] by forward differences (one
 * forward per pixel and channel, step {@link #FD_STEP}), then the best direction of the linear model
 * f(x + eta) = f(x) + J eta on the sphere: the top right singular vector of J for the distance
 * (|J eta|^2 is largest there), {@code -J^T (e_y - e_k*)} for the margin. Both signs and the Gaussian
 * start are evaluated, and the best is kept.</li>
 * </ul>
 */
final class NoiseAttack {
    /** Pixel step of the forward differences (pixels in [0, 1], or normalised ones of that order). */
    static final double FD_STEP = 1e-2;

    private NoiseAttack() {
    }

    /** The Gaussian starting noise of probe i (G_f's, sample address {@code sample}), scaled to norm {@code rho}. */
    static double[] gaussianStart(int size, long seed, long sample, double rho) {
        double[] g = new double[size];
        Normals.fill(seed, sample, Normals.STREAM_NOISE, 0, g, 0, size);
        return ModeVectors.scaleTo(g, rho * rho);
    }

    /** The oracle at noise vectors: walker w is probe w, its image {@code (float) (x_w + eta)}. */
    static SphereAscent.Oracle oracle(Model model, Differentiable autograd, ImageBatch probes, Activations clean, int[] labels, Target target,
                                      AttackCounters counters) {
        int size = probes.sampleSize(), k = clean.units();
        return (walkers, points, values, outputs, gradients) -> {
            int step = gradients == null ? Math.max(1, points.length) : DiffeoOracle.GRADIENT_BATCH;
            for (int from = 0; from < points.length; from += step) {
                int n = Math.min(step, points.length - from);
                float[] images = new float[n * size];
                for (int q = 0; q < n; q++) {
                    add(probes.data(), walkers[from + q] * size, points[from + q], images, q * size);
                }
                ImageBatch batch = new ImageBatch(n, probes.channels(), probes.height(), probes.width(), images);
                long t0 = System.nanoTime();
                float[] out;
                if (gradients == null) {
                    out = model.forward(batch).data();
                    counters.forward += System.nanoTime() - t0;
                    counters.forwardImages += n;
                } else {
                    int first = from;
                    Differentiable.InputGradient g = autograd.inputGradient(batch, act -> {
                        float[] v = new float[act.data().length];
                        for (int q = 0; q < n; q++) {
                            int p = walkers[first + q];
                            target.cotangent(act.data(), q * k, clean.data(), p * k, k, labels[p], v);
                        }
                        return v;
                    });
                    out = g.outputs().data();
                    for (int q = 0; q < n; q++) {
                        double[] d = gradients[from + q];
                        for (int e = 0; e < size; e++) {
                            d[e] = g.gradient()[q * size + e];
                        }
                    }
                    counters.backward += System.nanoTime() - t0;
                    counters.backwardImages += n;
                }
                for (int q = 0; q < n; q++) {
                    int p = walkers[from + q];
                    values[from + q] = target.value(out, q * k, clean.data(), p * k, k, labels[p]);
                    outputs[from + q] = java.util.Arrays.copyOfRange(out, q * k, (q + 1) * k);
                }
            }
        };
    }

    /** {@code out[o ..] = (float) (x[xo ..] + eta)}. */
    static void add(float[] x, int xo, double[] eta, float[] out, int o) {
        for (int e = 0; e < eta.length; e++) {
            out[o + e] = (float) (x[xo + e] + eta[e]);
        }
    }

    /**
     * The derivative-free candidates of probe {@code p}: J by forward differences at x, then the
     * linear model's best directions of norm rho (both signs). Returns them as points.
     */
    static double[][] linearisedCandidates(Model model, ImageBatch probes, Activations clean, int p, int label, Target target, double rho,
                                           AttackCounters counters) {
        int size = probes.sampleSize(), k = clean.units();
        // J column e = (f(x + h e_e) - f(x)) / h, all CHW columns in one batch (the model chunks it)
        float[] images = new float[size * size];
        for (int e = 0; e < size; e++) {
            System.arraycopy(probes.data(), p * size, images, e * size, size);
            images[e * size + e] = (float) (images[e * size + e] + FD_STEP);
        }
        long t0 = System.nanoTime();
        float[] out = model.forward(new ImageBatch(size, probes.channels(), probes.height(), probes.width(), images)).data();
        counters.forward += System.nanoTime() - t0;
        counters.forwardImages += size;
        double[][] jt = new double[size][k]; // J transposed: row e holds df/dx_e
        for (int e = 0; e < size; e++) {
            double h = (double) images[e * size + e] - probes.data()[p * size + e]; // the step as the float image holds it
            for (int u = 0; u < k; u++) {
                jt[e][u] = ((double) out[e * k + u] - clean.get(p, u)) / h;
            }
        }
        double[] direction = new double[size];
        if (target == Target.DISTANCE) {
            double[] top = topEigenvector(gram(jt, k));
            for (int e = 0; e < size; e++) {
                direction[e] = SphereAscent.dot(jt[e], top);
            }
        } else {
            int other = Target.bestOther(clean.data(), p * k, k, label);
            for (int e = 0; e < size; e++) {
                direction[e] = jt[e][other] - jt[e][label]; // -J^T (e_y - e_k*): the margin's steepest descent
            }
        }
        if (!(SphereAscent.dot(direction, direction) > 0)) {
            return new double[0][];
        }
        double[] plus = ModeVectors.scaleTo(direction.clone(), rho * rho);
        double[] minus = plus.clone();
        for (int e = 0; e < size; e++) {
            minus[e] = -minus[e];
        }
        return new double[][]{plus, minus};
    }

    /** {@code J J^T} [K x K] from J's transpose. */
    static double[][] gram(double[][] jt, int k) {
        double[][] a = new double[k][k];
        for (double[] row : jt) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                    a[u][v] += row[u] * row[v];
                }
            }
        }
        return a;
    }

    /** The eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix (cyclic Jacobi). */
    static double[] topEigenvector(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][], v = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < n; r++) { // columns p, q
                        double arp = a[r][p], arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < n; r++) { // rows p, q
                        double apr = a[p][r], aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                    for (int r = 0; r < n; r++) {
                        double vrp = v[r][p], vrq = v[r][q];
                        v[r][p] = c * vrp - s * vrq;
                        v[r][q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        int top = 0;
        for (int i = 1; i < n; i++) {
            if (a[i][i] > a[top][top]) {
                top = i;
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[i][top];
        }
        return out;
    }
}
