package org.diffeo4j.attack;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;
import org.diffeo4j.random.Normals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * f(x) = W2 tanh(W1 x + b1) in plain Java with its exact vector-Jacobian product
 * {@code J^T v = W1^T ((1 - h^2) (W2^T v))}: a differentiable model for tests without libtorch.
 */
final class TanhNet implements Model, Differentiable {
    final int in, hidden, out;
    final double[] w1, b1, w2;
    private final int[] shape;

    TanhNet(int channels, int height, int width, int hidden, int out, long seed) {
        this.shape = new int[]{channels, height, width};
        this.in = channels * height * width;
        this.hidden = hidden;
        this.out = out;
        w1 = new double[hidden * in];
        b1 = new double[hidden];
        w2 = new double[out * hidden];
        Normals.fill(seed, 0, 0, 0, w1, 0, w1.length);
        Normals.fill(seed, 1, 0, 0, b1, 0, b1.length);
        Normals.fill(seed, 2, 0, 0, w2, 0, w2.length);
        for (int k = 0; k < w1.length; k++) {
            w1[k] *= 3 / Math.sqrt(in);
        }
        for (int k = 0; k < w2.length; k++) {
            w2[k] *= 3 / Math.sqrt(hidden);
        }
    }

    @Override
    public String description() {
        return "tanh net " + in + " -> " + hidden + " -> " + out;
    }

    @Override
    public int[] inputShape() {
        return shape.clone();
    }

    @Override
    public int outputs() {
        return out;
    }

    @Override
    public List<String> layerNames() {
        return List.of();
    }

    private double[] hidden(float[] x, int o) {
        double[] h = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double s = b1[j];
            for (int p = 0; p < in; p++) {
                s += w1[j * in + p] * x[o + p];
            }
            h[j] = Math.tanh(s);
        }
        return h;
    }

    private void outputs(double[] h, float[] y, int o) {
        for (int k = 0; k < out; k++) {
            double s = 0;
            for (int j = 0; j < hidden; j++) {
                s += w2[k * hidden + j] * h[j];
            }
            y[o + k] = (float) s;
        }
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers) {
        float[] y = new float[images.count() * out];
        for (int s = 0; s < images.count(); s++) {
            outputs(hidden(images.data(), s * in), y, s * out);
        }
        Map<String, Activations> m = new LinkedHashMap<>();
        m.put(OUTPUT, new Activations(images.count(), out, y));
        return m;
    }

    @Override
    public InputGradient inputGradient(ImageBatch images, java.util.function.Function<Activations, float[]> cotangent) {
        int b = images.count();
        float[] y = new float[b * out];
        double[][] h = new double[b][];
        for (int s = 0; s < b; s++) {
            h[s] = hidden(images.data(), s * in);
            outputs(h[s], y, s * out);
        }
        Activations a = new Activations(b, out, y);
        float[] v = cotangent.apply(a);
        float[] g = new float[b * in];
        for (int s = 0; s < b; s++) {
            double[] u = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double t = 0;
                for (int k = 0; k < out; k++) {
                    t += w2[k * hidden + j] * v[s * out + k];
                }
                u[j] = t * (1 - h[s][j] * h[s][j]);
            }
            for (int p = 0; p < in; p++) {
                double t = 0;
                for (int j = 0; j < hidden; j++) {
                    t += w1[j * in + p] * u[j];
                }
                g[s * in + p] = (float) t;
            }
        }
        return new InputGradient(a, g);
    }
}
