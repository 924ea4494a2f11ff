package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.SplittableRandom;

/**
 * Inverted dropout (Srivastava et al. 2014; nn.Dropout / F.dropout): in training each unit is zeroed
 * with probability p and the rest scaled by 1/(1 - p); the identity in inference. The mask of the n-th
 * training call is drawn in Java from (seed, n), not from libtorch's global generator, so a fresh run
 * of a seed is the same run. A net rebuilt to resume from a checkpoint restarts n at 0: its masks then
 * differ from an uninterrupted run's (the weights it resumes from do not).
 */
final class SeededDropout extends AbstractBlock {
    private final float rate;
    private final long seed;
    private long calls;

    SeededDropout(double rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), found " + rate);
        }
        this.rate = (float) rate;
        this.seed = seed;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || rate == 0) {
            return inputs;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + ++calls);
        float[] mask = new float[Math.toIntExact(x.size())];
        float keep = 1 / (1 - rate);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = r.nextDouble() < rate ? 0f : keep;
        }
        return new NDList(x.mul(x.getManager().create(mask, x.getShape())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }
}
