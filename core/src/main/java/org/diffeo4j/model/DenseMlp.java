package org.diffeo4j.model;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.random.Normals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense network in plain Java: the image flattened (C, H, W order) goes through layers
 * {@code a' = act(W a + b)}, W row-major [out][in]. Sums run in double. Hidden layers are named by
 * their {@link Dense#name}; the last layer is the output.
 */
public final class DenseMlp implements Model {
    /** Element-wise non-linearity after a dense layer. */
    public enum Act { IDENTITY, TANH, RELU }

    /**
     * One layer.
     *
     * @param name layer name (for layer-wise R_f)
     * @param weights [out][in] row-major, {@code out*in} floats; not modified
     * @param bias {@code out} floats, or an empty array for none
     */
    public record Dense(String name, int in, int out, float[] weights, float[] bias, Act act) {
        public Dense {
            if (in < 1 || out < 1 || weights.length != in * out) {
                throw new BadInputException("dense layer " + name + " must have in*out = " + (long) in * out
                        + " weights, found " + weights.length);
            }
            if (bias.length != 0 && bias.length != out) {
                throw new BadInputException("dense layer " + name + " must have " + out + " biases, found " + bias.length);
            }
        }
    }

    private final int[] inputShape;
    private final List<Dense> layers;

    /** @param inputShape {C, H, W} with C*H*W = the first layer's inputs */
    public DenseMlp(int[] inputShape, List<Dense> layers) {
        if (inputShape.length != 3 || (long) inputShape[0] * inputShape[1] * inputShape[2] != layers.get(0).in()) {
            throw new BadInputException("input shape must have C*H*W = " + layers.get(0).in() + " values, found "
                    + java.util.Arrays.toString(inputShape));
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new BadInputException("layer " + layers.get(l).name() + " must take " + layers.get(l - 1).out()
                        + " inputs, found " + layers.get(l).in());
            }
        }
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
    }

    /**
     * A random linear map f(x) = W x, W_kp ~ N(0, 1/(C H W)) drawn from {@code seed} (sample k, stream
     * 0, element p). Its R_f is 1 in expectation: a linear f sees a displacement and a noise of the
     * same norm alike once averaged over directions.
     */
    public static DenseMlp randomLinear(int channels, int height, int width, int outputs, long seed) {
        int in = channels * height * width;
        float[] w = new float[outputs * in];
        double[] row = new double[in];
        double scale = 1 / Math.sqrt(in);
        for (int k = 0; k < outputs; k++) {
            Normals.fill(seed, k, 0, 0, row, 0, in);
            for (int p = 0; p < in; p++) {
                w[k * in + p] = (float) (row[p] * scale);
            }
        }
        return new DenseMlp(new int[]{channels, height, width}, List.of(new Dense("linear", in, outputs, w, new float[0], Act.IDENTITY)));
    }

    @Override
    public String description() {
        StringBuilder s = new StringBuilder("dense MLP ").append(layers.get(0).in());
        layers.forEach(l -> s.append(" -> ").append(l.out()).append(l.act() == Act.IDENTITY ? "" : " " + l.act().name().toLowerCase()));
        return s.toString();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int outputs() {
        return layers.get(layers.size() - 1).out();
    }

    @Override
    public List<String> layerNames() {
        List<String> n = new ArrayList<>();
        for (int l = 0; l < layers.size() - 1; l++) {
            n.add(layers.get(l).name());
        }
        return n;
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> wanted) {
        int b = images.count();
        float[] a = images.data();
        Map<String, Activations> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Dense d = layers.get(l);
            float[] next = new float[b * d.out()];
            for (int s = 0; s < b; s++) {
                for (int o = 0; o < d.out(); o++) {
                    double acc = d.bias().length == 0 ? 0 : d.bias()[o];
                    int w0 = o * d.in(), a0 = s * d.in();
                    for (int p = 0; p < d.in(); p++) {
                        acc += (double) d.weights()[w0 + p] * a[a0 + p];
                    }
                    next[s * d.out() + o] = (float) switch (d.act()) {
                        case IDENTITY -> acc;
                        case TANH -> Math.tanh(acc);
                        case RELU -> Math.max(0, acc);
                    };
                }
            }
            a = next;
            boolean last = l == layers.size() - 1;
            if (last || wanted.contains(d.name())) {
                out.put(last ? OUTPUT : d.name(), new Activations(b, d.out(), next));
            }
        }
        return out;
    }
}
