package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Tan and Le 2019's MBConv as the authors' models/efficientnet.py {@code Block}: 1x1 expansion (skipped
 * when the ratio is 1), depthwise k x k carrying the stride, squeeze-excitation, 1x1 projection; the
 * input is added when stride 1 and the widths match. Its drop-connect never fires there (the rate is
 * 0.2 * b / 16 with b never incremented, so 0), and so none here.
 *
 * <p>With expansion 1 the authors still build conv1 and bn1 and never use them: they are kept here
 * too, unused, so the parameters and their count are the authors' (their gradient stays zero).
 */
final class MBConvBlock extends AbstractBlock {
    private final Block conv1, bn1, conv2, bn2, se, conv3, bn3;
    private final boolean expand, skip;

    MBConvBlock(int in, int out, int kernel, int stride, int expansion) {
        int mid = expansion * in;
        conv1 = addChildBlock("conv1", Layers.conv(mid, 1, 1, 0, false));
        bn1 = addChildBlock("bn1", Layers.batchNorm());
        conv2 = addChildBlock("conv2", Layers.conv(mid, kernel, stride, kernel == 3 ? 1 : 2, false, mid));
        bn2 = addChildBlock("bn2", Layers.batchNorm());
        // se_channels = int(in_channels * se_ratio), se_ratio 0.25: a quarter of the block's input, not of mid.
        se = addChildBlock("se", new SqueezeExcite(mid, in / 4));
        conv3 = addChildBlock("conv3", Layers.conv(out, 1, 1, 0, false));
        bn3 = addChildBlock("bn3", Layers.batchNorm());
        expand = expansion != 1;
        skip = stride == 1 && in == out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = expand ? Layers.swish(Layers.apply(bn1, store, Layers.apply(conv1, store, x, training), training)) : x;
        h = Layers.swish(Layers.apply(bn2, store, Layers.apply(conv2, store, h, training), training));
        h = Layers.apply(se, store, h, training);
        h = Layers.apply(bn3, store, Layers.apply(conv3, store, h, training), training);
        return new NDList(skip ? h.add(x) : h);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... in) {
        Shape s = Layers.init(bn1, manager, type, Layers.init(conv1, manager, type, in[0]));
        s = Layers.init(bn2, manager, type, Layers.init(conv2, manager, type, expand ? s : in[0]));
        s = Layers.init(se, manager, type, s);
        Layers.init(bn3, manager, type, Layers.init(conv3, manager, type, s));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = Layers.out(conv2, expand ? Layers.out(conv1, in[0]) : in[0]);
        return new Shape[]{Layers.out(conv3, s)};
    }

    /** Squeeze-and-excitation (Hu et al. 2018) with swish: x * sigmoid(se2(swish(se1(mean_hw x)))), se1 and se2 1x1 convs with bias. */
    static final class SqueezeExcite extends AbstractBlock {
        private final Block se1, se2;

        SqueezeExcite(int channels, int squeezed) {
            se1 = addChildBlock("se1", Layers.conv(squeezed, 1, 1, 0, true));
            se2 = addChildBlock("se2", Layers.conv(channels, 1, 1, 0, true));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape in = x.getShape();
            // F.adaptive_avg_pool2d(x, (1, 1)), kept 4-D for the 1x1 convs
            NDArray pooled = Pool.globalAvgPool2d(x).reshape(in.get(0), in.get(1), 1, 1);
            NDArray s = Layers.swish(Layers.apply(se1, store, pooled, training));
            return new NDList(x.mul(Activation.sigmoid(Layers.apply(se2, store, s, training))));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType type, Shape... in) {
            Shape pooled = new Shape(in[0].get(0), in[0].get(1), 1, 1);
            Layers.init(se2, manager, type, Layers.init(se1, manager, type, pooled));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return in;
        }
    }
}
