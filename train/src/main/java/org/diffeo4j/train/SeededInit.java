package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation, drawn in Java from one seed so a net is the same whatever the
 * engine or thread count: weights and biases uniform in +-1/sqrt(fan_in) (kaiming_uniform with
 * a = sqrt(5), as nn.Linear and nn.Conv2d reset_parameters), batch-norm scale 1, shift 0, running
 * mean 0 and variance 1. Parameters are drawn in {@link Net#parameters()} order. Except
 * {@link Arch#FC_L4}: the authors' DenseNetL4 draws its weights and biases from N(0, 1) (torch.randn)
 * and scales in the forward ({@link ScaledDense}).
 */
final class SeededInit {
    private SeededInit() {
    }

    static void apply(Net net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long fanIn = 1;
        for (Pair<String, Parameter> p : net.parameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = new float[Math.toIntExact(a.size())];
            if (net.arch() == Arch.FC_L4) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) rng.nextGaussian();
                }
                Arrays2.assign(a, v);
                continue;
            }
            switch (p.getValue().getType()) {
                case WEIGHT -> {
                    fanIn = a.getShape().size() / a.getShape().get(0);
                    uniform(v, 1.0 / Math.sqrt(fanIn), rng);
                }
                case BIAS -> uniform(v, 1.0 / Math.sqrt(fanIn), rng);
                case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(v, 1f);
                case BETA, RUNNING_MEAN -> java.util.Arrays.fill(v, 0f);
                default -> throw new IllegalStateException("parameter " + p.getKey() + " must be a weight, bias or batch-norm "
                        + "parameter, found type " + p.getValue().getType());
            }
            Arrays2.assign(a, v);
        }
    }

    private static void uniform(float[] v, double bound, SplittableRandom rng) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
    }
}
