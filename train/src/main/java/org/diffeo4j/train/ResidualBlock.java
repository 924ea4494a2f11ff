package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * He et al. 2016's residual blocks as the authors' models/resnet.py: basic, relu(bn2(conv2(relu(bn1(conv1 x))))
 * + shortcut(x)), and bottleneck (1x1, 3x3 carrying the stride, 1x1 to 4x the planes); the shortcut is
 * a strided 1x1 conv and batch-norm when the shape changes, else the identity. One block instead of
 * DJL's ParallelBlock and lambdas: the forward reads as the authors' and the children are in their
 * state_dict order (conv1, bn1, conv2, bn2[, conv3, bn3], shortcut).
 */
final class ResidualBlock extends AbstractBlock {
    private final List<Block> main; // conv, bn pairs
    private final Block shortcut; // null: identity

    /** {@code bottleneck}: the 1x1-3x3-1x1 block with expansion 4. */
    ResidualBlock(int in, int planes, int stride, boolean bottleneck) {
        int out = bottleneck ? 4 * planes : planes;
        List<Block> convs = bottleneck
                ? List.of(Layers.conv(planes, 1, 1, 0, false), Layers.conv(planes, 3, stride, 1, false), Layers.conv(out, 1, 1, 0, false))
                : List.of(Layers.conv(planes, 3, stride, 1, false), Layers.conv(planes, 3, 1, 1, false));
        List<Block> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            blocks.add(addChildBlock("conv" + (i + 1), convs.get(i)));
            blocks.add(addChildBlock("bn" + (i + 1), Layers.batchNorm()));
        }
        main = List.copyOf(blocks);
        shortcut = stride != 1 || in != out
                ? addChildBlock("shortcut", new SequentialBlock().add(Layers.conv(out, 1, stride, 0, false)).add(Layers.batchNorm()))
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(), h = x;
        for (int i = 0; i < main.size(); i += 2) {
            h = Layers.apply(main.get(i + 1), store, Layers.apply(main.get(i), store, h, training), training);
            if (i + 2 < main.size()) {
                h = Activation.relu(h);
            }
        }
        return new NDList(Activation.relu(h.add(shortcut == null ? x : Layers.apply(shortcut, store, x, training))));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... in) {
        Shape s = in[0];
        for (Block b : main) {
            s = Layers.init(b, manager, type, s);
        }
        if (shortcut != null) {
            Layers.init(shortcut, manager, type, in[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        for (Block b : main) {
            s = Layers.out(b, s);
        }
        return new Shape[]{s};
    }
}
