package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

/**
 * The layers of the full-width nets, each with PyTorch's defaults so the parameters have the shapes
 * and order of the authors' state_dict (nn.Conv2d weight [out, in/groups, k, k] then bias;
 * nn.BatchNorm2d weight, bias, running mean, running variance).
 */
final class Layers {
    private Layers() {
    }

    static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
        return conv(filters, kernel, stride, pad, bias, 1);
    }

    static Block conv(int filters, int kernel, int stride, int pad, boolean bias, int groups) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters).optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad)).optGroups(groups).optBias(bias).build();
    }

    static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    static Block batchNorm() {
        // nn.BatchNorm2d: eps 1e-5, running statistics updated with weight 0.1 (DJL momentum 0.9).
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** nn.MaxPool2d(2) / F.max_pool2d(x, 2): kernel 2, stride 2, no padding. */
    static Block maxPool2() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /** Swish / SiLU, x * sigmoid(x) (Ramachandran et al. 2017), the authors' {@code swish}. */
    static NDArray swish(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** {@code block}(x) for a single-array block. */
    static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** Initialises {@code block} for {@code in} and returns its output shape. */
    static Shape init(Block block, NDManager manager, DataType type, Shape in) {
        block.initialize(manager, type, in);
        return out(block, in);
    }

    static Shape out(Block block, Shape in) {
        return block.getOutputShapes(new Shape[]{in})[0];
    }
}
