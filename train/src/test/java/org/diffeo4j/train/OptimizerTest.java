package org.diffeo4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimiser against torch.optim's update rules written out in double precision, on the loss
 * L = sum_i c_i w_i^2 / 2 (gradient c_i w_i), with a rate that changes between steps as the cosine
 * schedule changes it between epochs.
 */
class OptimizerTest {
    private static final double[] RATES = {0.1, 0.1, 0.05, 0.0, 0.0, 0.02};

    @BeforeAll
    static void engine() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
    }

    @Test
    void sgdIsPyTorchsSgdWithMomentumAndDecayOnWeightsOnly() {
        double m = 0.9, wd = 5e-3;
        float[] w0 = {0.5f, -1.2f, 2.0f, 0.3f, -0.7f, 1.1f}, b0 = {0.4f, -0.9f};
        float[] c = {1.0f, 0.5f, 2.0f, 0.1f, 3.0f, 0.7f}, cb = {1.5f, 0.2f};
        // torch.optim.SGD(momentum=m, weight_decay on the 2-D group only), step by step
        double[] w = toDouble(w0), b = toDouble(b0), bw = new double[w.length], bb = new double[b.length];
        for (double lr : RATES) {
            for (int i = 0; i < w.length; i++) {
                bw[i] = m * bw[i] + (c[i] * w[i] + wd * w[i]);
                w[i] -= lr * bw[i];
            }
            for (int i = 0; i < b.length; i++) {
                bb[i] = m * bb[i] + cb[i] * b[i];
                b[i] -= lr * bb[i];
            }
        }
        float[][] found = run("sgd", m, wd, w0, b0, c, cb);
        assertClose(w, found[0]);
        assertClose(b, found[1]);
    }

    @Test
    void adamAddsTheDecayToTheGradientOfWeightsOnly() {
        double wd = 0.1;
        float[] w0 = {0.5f, -1.2f, 2.0f, 0.3f, -0.7f, 1.1f}, b0 = {0.4f, -0.9f};
        float[] c = {1.0f, 0.5f, 2.0f, 0.1f, 3.0f, 0.7f}, cb = {1.5f, 0.2f};
        double[] w = toDouble(w0), b = toDouble(b0);
        double[][] mw = new double[2][w.length], mb = new double[2][b.length];
        int t = 0;
        for (double lr : RATES) {
            t++;
            adam(w, c, wd, mw, lr, t);
            adam(b, cb, 0, mb, lr, t);
        }
        float[][] found = run("adam", 0, wd, w0, b0, c, cb);
        assertClose(w, found[0]);
        assertClose(b, found[1]);
    }

    /** No gradient and weight decay: the 2-D weights shrink, the 1-D parameter does not move. */
    @Test
    void weightDecayTouchesNoOneDimensionalParameter() {
        for (String opt : List.of("sgd", "adam")) {
            float[] w0 = {0.5f, -1.2f, 2.0f, 0.3f, -0.7f, 1.1f}, b0 = {0.4f, -0.9f};
            float[][] found = run(opt, 0.9, 0.05, w0, b0, new float[6], new float[2]);
            assertArrayEquals(b0, found[1], opt + ": the 1-D parameter moved");
            for (int i = 0; i < w0.length; i++) {
                assertTrue(Math.abs(found[0][i]) < Math.abs(w0[i]), opt + ": weight " + i + " did not shrink");
            }
        }
    }

    @Test
    void decayFlagFollowsDimensions() {
        try (NDManager nd = TorchRuntime.newManager()) {
            NDArray w = nd.create(new float[6], new Shape(2, 3)), conv = nd.create(new float[8], new Shape(2, 1, 2, 2)), b = nd.create(new float[2]);
            Optimizer o = new Optimizer("sgd", 0.1, 0.9, 5e-4, List.of(w, conv, b));
            assertTrue(o.decays(0) && o.decays(1));
            assertFalse(o.decays(2));
        }
    }

    /** PyTorch's Adam (L2 in the gradient) with DJL's eps placement: eps added to sqrt(v) before the folded bias correction. */
    private static void adam(double[] w, float[] c, double wd, double[][] mv, double lr, int t) {
        for (int i = 0; i < w.length; i++) {
            double g = c[i] * w[i] + wd * w[i];
            mv[0][i] = 0.9 * mv[0][i] + 0.1 * g;
            mv[1][i] = 0.999 * mv[1][i] + 0.001 * g * g;
            double corrected = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            w[i] -= corrected * mv[0][i] / (Math.sqrt(mv[1][i]) + 1e-8);
        }
    }

    private static float[][] run(String name, double momentum, double wd, float[] w0, float[] b0, float[] c, float[] cb) {
        try (NDManager nd = TorchRuntime.newManager()) {
            NDArray w = nd.create(w0, new Shape(2, 3)), b = nd.create(b0), cw = nd.create(c, new Shape(2, 3)), cbb = nd.create(cb);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Optimizer o = new Optimizer(name, RATES[0], momentum, wd, List.of(w, b));
            for (double lr : RATES) {
                o.rate(lr);
                try (NDManager step = nd.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = w.mul(w).mul(cw).sum().add(b.mul(b).mul(cbb).sum()).div(2);
                    loss.attach(step);
                    gc.backward(loss);
                }
                o.step();
            }
            return new float[][]{w.toFloatArray(), b.toFloatArray()};
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static void assertClose(double[] expected, float[] found) {
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(found[i] - expected[i]) <= 1e-5 + 1e-5 * Math.abs(expected[i]),
                    "index " + i + ": expected " + expected[i] + ", found " + found[i]);
        }
    }
}
