package org.diffeo4j.stripe;

import org.diffeo4j.random.Normals;

/**
 * Philox streams of the stripe model and the draws made on them (docs/randomness.md gives the
 * addressing). The streams are disjoint from the diffeo and noise streams 0-2 of the image protocol.
 * Training point i of seed s is row i of stream {@link #TRAIN} at key s, whatever P: the training set
 * of size P is the first P points of one sequence, so the cells of one seed are nested and the trend
 * with P is not buried under set-to-set fluctuations.
 */
public final class StripeStreams {
    /** Training points: sample = point index, element k = coordinate k. */
    public static final int TRAIN = 16;
    /** Test points, the same layout. */
    public static final int TEST = 17;
    /** Initial weights: sample = neuron h, elements 0..d-1 = w_h, d = c_h, d+1 = b_h. */
    public static final int INIT = 18;
    /** Noise nu in the invariant directions: sample = test point, element k = coordinate k. */
    public static final int NU = 19;
    /** Isotropic noise eta, the same layout. */
    public static final int ETA = 20;

    private StripeStreams() {
    }

    /**
     * Standard Gaussian points, row-major {@code [count][dim]}: row i is the normals of (seed, i,
     * stream), elements 0..dim-1.
     */
    public static double[] points(long seed, int stream, int count, int dim) {
        double[] x = new double[Math.multiplyExact(count, dim)];
        for (int i = 0; i < count; i++) {
            Normals.fill(seed, i, stream, 0, x, i * dim, dim);
        }
        return x;
    }
}
