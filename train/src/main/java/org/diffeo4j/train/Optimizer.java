package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam or SGD with momentum over a net's trainable arrays, as {@code torch.optim} computes them,
 * with no per-step bookkeeping beyond a few libtorch calls per array (DJL's Trainer and
 * ParameterStore add several milliseconds a batch, which dominated the small nets).
 *
 * <ul>
 * <li>SGD is PyTorch's (dampening 0, not Nesterov): d = g + wd w; buf = momentum buf + d (buf = d at
 * the first step, which a zero buffer gives); w -= lr buf. The rate multiplies the whole buffer, so a
 * rate that changes per epoch (the cosine schedule) acts as in PyTorch (OptimizerTest).</li>
 * <li>Adam: d = g + wd w (PyTorch's Adam, L2 in the gradient, not AdamW), then DJL's fused Adam update
 * (beta 0.9, 0.999, eps 1e-8; bias corrections folded into the rate, which moves eps by the factor
 * sqrt(1 - beta2^t) against PyTorch's: irrelevant at eps = 1e-8).</li>
 * <li>Weight decay touches only arrays of more than one dimension — the authors' parameter groups
 * (diffeo-sota optim_loss.py): biases and batch-norm scale and shift get none.</li>
 * </ul>
 * The state (step count, moments) is exposed for checkpoints so a resumed run continues exactly.
 */
final class Optimizer {
    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;
    private final boolean adam;
    private final float momentum, weightDecay;
    private final List<NDArray> weights;
    private final boolean[] decayed;
    private final List<NDArray> first = new ArrayList<>(), second = new ArrayList<>();
    private double lr;
    private long step;

    /**
     * @param weights the trainable arrays (modified by {@link #step})
     * @param momentum SGD's momentum (ignored by Adam)
     * @param weightDecay L2 coefficient on arrays of two or more dimensions
     */
    Optimizer(String name, double lr, double momentum, double weightDecay, List<NDArray> weights) {
        this.adam = name.equals("adam");
        this.lr = lr;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.weights = weights;
        this.decayed = new boolean[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            decayed[i] = w.getShape().dimension() > 1;
            first.add(w.zerosLike());
            if (adam) {
                second.add(w.zerosLike());
            }
        }
    }

    /** The rate of the following steps (the schedule sets it once per epoch). */
    void rate(double lr) {
        this.lr = lr;
    }

    /** Whether weight decay applies to array {@code i} (two or more dimensions). */
    boolean decays(int i) {
        return decayed[i];
    }

    /** Applies one update from the gradients and zeroes them (libtorch accumulates); in place, so with grad mode off. */
    void step() {
        Arrays2.withoutGrad(this::update);
    }

    private void update() {
        step++;
        float rate = (float) lr;
        // Adam's bias correction folded into the rate, as DJL's Adam: lr * sqrt(1 - b2^t) / (1 - b1^t).
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i), g = w.getGradient();
            if (weightDecay != 0 && decayed[i]) {
                try (NDArray decay = w.mul(weightDecay)) {
                    g.addi(decay);
                }
            }
            if (adam) {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, first.get(i), second.get(i)), new NDList(w), rate, corrected,
                        0f, 1f, -1f, BETA1, BETA2, EPS, true, false);
            } else {
                NDArray buf = first.get(i);
                buf.muli(momentum).addi(g);
                try (NDArray delta = buf.mul(rate)) {
                    w.subi(delta);
                }
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
