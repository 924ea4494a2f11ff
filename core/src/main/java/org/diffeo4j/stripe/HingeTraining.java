package org.diffeo4j.stripe;

import org.diffeo4j.validate.BadInputException;

/**
 * Full-batch gradient descent on the hinge loss of the alpha-trick net (Geiger et al. 2020,
 * Paccolat et al. 2021): {@code L = (1 / (alpha^2 P)) sum_i max(0, 1 - y_i g(x_i))} with
 * {@code g = alpha (f - f_0)}, parameters moved by {@code theta -= lr H grad L}. The factor
 * 1/alpha^2 makes the speed of f independent of alpha, and H undoes the 1/H of the mean-field
 * read-out so that each neuron moves at O(lr) per step whatever the width; in these units a step
 * reads {@code b_h += (lr/P) sum_active y relu(z_h)}, {@code c_h += (lr/P) sum_active y b_h [z_h > 0]},
 * {@code w_h += (lr/P) sum_active y b_h [z_h > 0] x / sqrt(d)}.
 *
 * <p>Stopping rule: the hinge gradient vanishes exactly when every training margin y_i g(x_i) is
 * >= 1, so gradient descent stops by itself there; that is the end of training ("the training set is
 * fitted"), with {@code maxEpochs} as a cap for runs that do not get there.
 */
public final class HingeTraining {
    /**
     * @param alpha output scale of the alpha trick; small is the feature regime
     * @param learningRate step in the units above
     * @param maxEpochs cap on the number of gradient steps
     */
    public record Spec(double alpha, double learningRate, int maxEpochs) {
        public Spec {
            if (!(alpha > 0) || !Double.isFinite(alpha)) {
                throw new BadInputException("alpha must be a finite number > 0, found " + alpha);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new BadInputException("learning rate must be a finite number > 0, found " + learningRate);
            }
            if (maxEpochs < 1) {
                throw new BadInputException("max epochs must be >= 1, found " + maxEpochs);
            }
        }
    }

    /**
     * @param net the trained alpha-trick net
     * @param epochs gradient steps taken
     * @param fitted every margin reached 1
     * @param minMargin the smallest y_i g(x_i) at the end
     */
    public record Outcome(AlphaNet net, int epochs, boolean fitted, double minMargin) {
    }

    /** Points whose pre-activations are computed together. */
    private static final int BLOCK = 4;

    private HingeTraining() {
    }

    /**
     * Trains a copy of {@code initial} on {@code count} row-major points {@code x [count][d]} with
     * labels {@code y} (+1 or -1).
     *
     * @param initial not modified
     * @param x not modified
     * @param y not modified
     */
    public static Outcome train(ReluNet initial, double[] x, double[] y, int count, Spec spec) {
        int d = initial.dim, h = initial.width;
        if (x.length < count * d || y.length < count) {
            throw new IllegalArgumentException("points must hold " + count + " x " + d + " values and labels, found "
                    + x.length + " and " + y.length);
        }
        ReluNet net = initial.copy();
        double[] f0 = new double[count];
        double[][] z = new double[BLOCK][h];
        for (int i = 0; i < count; i++) {
            f0[i] = initial.value(x, i * d, z[0]);
        }
        double[] gT = new double[d * h], gc = new double[h], gb = new double[h], u = new double[h];
        double alpha = spec.alpha(), step = spec.learningRate() / count;
        for (int epoch = 0; ; epoch++) {
            java.util.Arrays.fill(gT, 0);
            java.util.Arrays.fill(gc, 0);
            java.util.Arrays.fill(gb, 0);
            int active = 0;
            double minMargin = Double.POSITIVE_INFINITY;
            for (int i0 = 0; i0 < count; i0 += BLOCK) {
                int m = Math.min(BLOCK, count - i0);
                preActivations(net, x, i0, m, z);
                for (int q = 0; q < m; q++) {
                    int i = i0 + q;
                    double yi = y[i], s = 0;
                    double[] zq = z[q];
                    for (int n = 0; n < h; n++) {
                        s += net.b[n] * Math.max(zq[n], 0.0);
                    }
                    double margin = alpha * yi * (s / h - f0[i]);
                    minMargin = Math.min(minMargin, margin);
                    if (margin >= 1) {
                        continue;
                    }
                    active++;
                    accumulate(net, x, i * d, yi, zq, gT, gc, gb, u);
                }
            }
            if (active == 0 || epoch == spec.maxEpochs()) {
                return new Outcome(new AlphaNet(net, initial, alpha), epoch, active == 0, minMargin);
            }
            for (int n = 0; n < h; n++) {
                net.b[n] += step * gb[n];
                net.c[n] += step * gc[n];
            }
            for (int q = 0; q < gT.length; q++) {
                net.wT[q] += step * gT[q];
            }
        }
    }

    /**
     * Adds y times the gradient of the un-normalised output H f at one point under the margin:
     * {@code relu(z_h)} for b_h, {@code b_h [z_h > 0]} for c_h and that times {@code x / sqrt(d)} for w_h.
     *
     * @param z the point's pre-activations; not modified
     * @param gT gradient sum of the first layer (transposed); modified; gc, gb likewise for c and b
     * @param u scratch of length H; modified
     */
    private static void accumulate(ReluNet net, double[] x, int off, double yi, double[] z, double[] gT, double[] gc,
                                   double[] gb, double[] u) {
        int d = net.dim, h = net.width;
        for (int n = 0; n < h; n++) {
            boolean on = z[n] > 0;
            gb[n] += on ? yi * z[n] : 0;
            u[n] = on ? yi * net.b[n] : 0;
            gc[n] += u[n];
        }
        for (int k = 0; k < d; k++) {
            double xk = x[off + k] * net.invSqrtDim;
            int row = k * h;
            for (int n = 0; n < h; n++) {
                gT[row + n] += u[n] * xk;
            }
        }
    }

    /**
     * Pre-activations of points i0 .. i0+m-1 (m <= BLOCK) into z[0..m): the block shares each row of
     * w, which is read once for the four points (the forward pass is memory-bound otherwise).
     * The sum over k runs in the same order as {@link ReluNet#value}, so values agree bit for bit.
     */
    private static void preActivations(ReluNet net, double[] x, int i0, int m, double[][] z) {
        int d = net.dim, h = net.width;
        if (m < BLOCK) {
            for (int q = 0; q < m; q++) {
                net.value(x, (i0 + q) * d, z[q]);
            }
            return;
        }
        double[] z0 = z[0], z1 = z[1], z2 = z[2], z3 = z[3];
        System.arraycopy(net.c, 0, z0, 0, h);
        System.arraycopy(net.c, 0, z1, 0, h);
        System.arraycopy(net.c, 0, z2, 0, h);
        System.arraycopy(net.c, 0, z3, 0, h);
        int o0 = i0 * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
        for (int k = 0; k < d; k++) {
            double x0 = x[o0 + k] * net.invSqrtDim, x1 = x[o1 + k] * net.invSqrtDim;
            double x2 = x[o2 + k] * net.invSqrtDim, x3 = x[o3 + k] * net.invSqrtDim;
            int row = k * h;
            for (int n = 0; n < h; n++) {
                double w = net.wT[row + n];
                z0[n] += w * x0;
                z1[n] += w * x1;
                z2[n] += w * x2;
                z3[n] += w * x3;
            }
        }
    }
}
