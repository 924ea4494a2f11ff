package org.diffeo4j.train;

import org.diffeo4j.TestImages;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input gradients of the nets of diffeo train (diffeo attack's gradient method): the gradient pass's
 * outputs are the inference forward's, its directional derivatives equal central differences, and a net
 * normalised with batch statistics gives none.
 */
class DjlModelGradientTest {
    static ImageBatch x;

    /**
     * Random images, not digits: a digit's flat background gives ReLU and max-pool ties at x, where the
     * net has one-sided derivatives only and central differences do not converge to the gradient.
     */
    @BeforeAll
    static void data() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        x = TestImages.random(3, 1, 28, 28, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet"})
    void gradientsAreTheForwardsDerivative(String arch) {
        try (DjlModel m = new DjlModel(Architectures.build(Arch.parse(arch), new int[]{1, 28, 28}, 10, 5, false), arch, false)) {
            assertNull(m.noGradientReason());
            float[] v = new float[30];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) Math.sin(1 + k);
            }
            Differentiable.InputGradient g = m.inputGradient(x, out -> v);
            Activations f = m.forward(x);
            assertArrayEquals(f.data(), g.outputs().data(), 1e-5f, arch + ": the gradient pass is the inference forward");
            // along the gradient itself (unit direction): the derivative is |g|, well above the outputs' float rounding
            double norm = 0;
            for (float e : g.gradient()) {
                norm += (double) e * e;
            }
            norm = Math.sqrt(norm);
            double[] d = new double[x.data().length];
            for (int e = 0; e < d.length; e++) {
                d[e] = g.gradient()[e] / norm;
            }
            double h = 1e-2;
            double fd = (objective(m, x, d, h, v) - objective(m, x, d, -h, v)) / (2 * h);
            assertEquals(norm, fd, 0.02 * norm, arch + ": directional derivative");
            assertTrue(norm > 1e-3, arch + ": |g| = " + norm);
        }
        try (DjlModel init = new DjlModel(Architectures.build(Arch.parse(arch), new int[]{1, 28, 28}, 10, 5, false), arch, true)) {
            assertEquals(arch.equals("resnet"), init.noGradientReason() != null, "batch statistics: " + init.noGradientReason());
        }
    }

    private static double objective(DjlModel m, ImageBatch x, double[] d, double h, float[] v) {
        float[] moved = x.data().clone();
        for (int e = 0; e < moved.length; e++) {
            moved[e] = (float) (moved[e] + h * d[e]);
        }
        float[] y = m.forward(new ImageBatch(x.count(), 1, 28, 28, moved)).data();
        double s = 0;
        for (int k = 0; k < y.length; k++) {
            s += (double) v[k] * y[k];
        }
        return s;
    }
}
