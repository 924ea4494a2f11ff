package org.diffeo4j.model;

import org.diffeo4j.data.ImageBatch;

import java.util.function.Function;

/**
 * A {@link Model} whose runtime gives input gradients by automatic differentiation (TorchScript and
 * the nets of {@code diffeo train}, through libtorch's autograd). One call is one forward and one
 * backward pass: the outputs {@code f(x)} [B, K] and the vector-Jacobian product {@code J^T v}
 * [B, C, H, W], where the cotangent {@code v} [B, K] may depend on the outputs (so that
 * {@code v = 2 (f(x) - f(x_0))} gives the gradient of the squared distance in the same pass).
 */
public interface Differentiable {
    /**
     * Why gradients cannot be had from this model now (a net normalised with batch statistics couples
     * its images), or null when they can.
     */
    default String noGradientReason() {
        return null;
    }

    /**
     * Outputs and input gradient of one chunk (the caller keeps it small enough for memory).
     *
     * @param images [B, C, H, W], already shape-checked by {@link Model#requireInput}; not modified
     * @param cotangent maps the outputs to v, B*K floats (row-major, one row per image)
     */
    InputGradient inputGradient(ImageBatch images, Function<Activations, float[]> cotangent);

    /**
     * One pass's results.
     *
     * @param outputs f(x), [B, K]
     * @param gradient {@code sum_k v_bk d f_k(x_b) / d x_b}, B*C*H*W floats in the images' layout
     */
    record InputGradient(Activations outputs, float[] gradient) {
        public InputGradient {
            if (outputs == null || gradient == null) {
                throw new IllegalArgumentException("outputs and gradient must be given, found "
                        + (outputs == null ? "no outputs" : "no gradient"));
            }
        }
    }
}
