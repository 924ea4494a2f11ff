package org.diffeo4j.stripe;

import org.diffeo4j.random.Normals;

/**
 * A one-hidden-layer ReLU net in the mean-field scaling,
 * {@code f(x) = (1/H) sum_h b_h relu(w_h . x / sqrt(d) + c_h)}, with all parameters drawn N(0, 1) at
 * initialisation (Paccolat et al. 2021, Eq. 2; Geiger et al.'s FC with a bias). With |x| ~ sqrt(d),
 * every pre-activation is O(1) whatever d, and the 1/H read-out is what lets the first layer move by
 * O(1) when the output must (the feature-learning regime, see {@link AlphaNet}).
 *
 * <p>The first layer is stored transposed, {@code wT[k * H + h] = w_hk}, so that the forward pass and
 * the gradient are axpy loops over the H neurons, which the JIT vectorises. Mutable: the trainer
 * updates the arrays in place on its own copy.
 */
public final class ReluNet implements ScalarFunction {
    final int dim, width;
    final double[] wT, c, b;
    final double invSqrtDim;

    ReluNet(int dim, int width, double[] wT, double[] c, double[] b) {
        if (dim < 1 || width < 1 || wT.length != dim * width || c.length != width || b.length != width) {
            throw new IllegalArgumentException("net shapes must be w [" + dim + " x " + width + "], c and b [" + width
                    + "], found " + wT.length + ", " + c.length + ", " + b.length);
        }
        this.dim = dim;
        this.width = width;
        this.wT = wT;
        this.c = c;
        this.b = b;
        this.invSqrtDim = 1.0 / Math.sqrt(dim);
    }

    /**
     * The initial net of a seed: neuron h reads the normals of (seed, h, {@link StripeStreams#INIT}),
     * elements 0..d-1 for w_h, d for c_h, d+1 for b_h; the same neuron whatever H.
     */
    public static ReluNet initial(long seed, int dim, int width) {
        if (dim < 1 || width < 1) {
            throw new IllegalArgumentException("net needs dim >= 1 and width >= 1, found " + dim + " and " + width);
        }
        double[] wT = new double[dim * width], c = new double[width], b = new double[width];
        double[] row = new double[dim + 2];
        for (int h = 0; h < width; h++) {
            Normals.fill(seed, h, StripeStreams.INIT, 0, row, 0, dim + 2);
            for (int k = 0; k < dim; k++) {
                wT[k * width + h] = row[k];
            }
            c[h] = row[dim];
            b[h] = row[dim + 1];
        }
        return new ReluNet(dim, width, wT, c, b);
    }

    public ReluNet copy() {
        return new ReluNet(dim, width, wT.clone(), c.clone(), b.clone());
    }

    public int dim() {
        return dim;
    }

    public int width() {
        return width;
    }

    /** First-layer weight w_hk. */
    public double weight(int h, int k) {
        return wT[k * width + h];
    }

    /** Output weight b_h. */
    public double outputWeight(int h) {
        return b[h];
    }

    @Override
    public double value(double[] x, int offset) {
        return value(x, offset, new double[width]);
    }

    /**
     * The value, with the pre-activations {@code w_h . x / sqrt(d) + c_h} left in {@code z}.
     *
     * @param z scratch of length H; modified
     */
    double value(double[] x, int offset, double[] z) {
        System.arraycopy(c, 0, z, 0, width);
        for (int k = 0; k < dim; k++) {
            double xk = x[offset + k] * invSqrtDim;
            int row = k * width;
            for (int h = 0; h < width; h++) {
                z[h] += wT[row + h] * xk;
            }
        }
        double s = 0;
        for (int h = 0; h < width; h++) {
            s += b[h] * Math.max(z[h], 0.0);
        }
        return s / width;
    }

    /**
     * How much the first layer points along x_par: {@code sum_h |b_h| w_h0^2 / sum_h |b_h| |w_h|^2},
     * each neuron weighted by its read-out |b_h| (its share of the output). 1/d on average for
     * isotropic weights, 1 when every neuron that matters reads x_par only.
     */
    public double alignment() {
        double par = 0, all = 0;
        for (int h = 0; h < width; h++) {
            double norm2 = 0;
            for (int k = 0; k < dim; k++) {
                double w = wT[k * width + h];
                norm2 += w * w;
            }
            double a = Math.abs(b[h]);
            par += a * wT[h] * wT[h];
            all += a * norm2;
        }
        return all > 0 ? par / all : Double.NaN;
    }
}
