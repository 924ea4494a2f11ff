package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam or SGD with momentum over a net's trainable arrays, one fused libtorch call per array
 * (DJL's adamUpdate / sgdUpdate kernels) and no per-step bookkeeping beyond that: DJL's Trainer and
 * ParameterStore add several milliseconds a batch, which dominated the small nets. The state
 * (step count, moments) is exposed for checkpoints so a resumed run continues exactly.
 */
final class Optimizer {
    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f, MOMENTUM = 0.9f;
    private final boolean adam;
    private final float lr;
    private final List<NDArray> weights;
    private final List<NDArray> first = new ArrayList<>(), second = new ArrayList<>();
    private long step;

    Optimizer(String name, double lr, List<NDArray> weights) {
        this.adam = name.equals("adam");
        this.lr = (float) lr;
        this.weights = weights;
        for (NDArray w : weights) {
            first.add(w.zerosLike());
            if (adam) {
                second.add(w.zerosLike());
            }
        }
    }

    /** Applies one update from the gradients and zeroes them (libtorch accumulates). */
    void step() {
        step++;
        // Adam's bias correction folded into the rate, as DJL's Adam: lr * sqrt(1 - b2^t) / (1 - b1^t).
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i), g = w.getGradient();
            if (adam) {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, first.get(i), second.get(i)), new NDList(w), lr, corrected,
                        0f, 1f, -1f, BETA1, BETA2, EPS, true, false);
            } else {
                w.getNDArrayInternal().sgdUpdate(new NDList(w, g, first.get(i)), new NDList(w), lr, 0f, 1f, -1f, MOMENTUM, true);
            }
            JniUtils.zeroGrad((PtNDArray) w);
            g.close(); // the wrapper only: the gradient itself stays attached to w
        }
    }

    long steps() {
        return step;
    }

    /** Moment arrays in a fixed order (first moments, then second for Adam). */
    List<NDArray> state() {
        List<NDArray> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    void restore(long steps, List<float[]> values) {
        List<NDArray> s = state();
        if (values.size() != s.size()) {
            throw new IllegalStateException("checkpoint optimiser state must hold " + s.size() + " arrays, found " + values.size());
        }
        for (int i = 0; i < s.size(); i++) {
            Arrays2.assign(s.get(i), values.get(i));
        }
        step = steps;
    }
}
