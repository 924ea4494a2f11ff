package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds each {@link Arch} for a C x H x W input and K classes, with the seeded initialisation of
 * {@link SeededInit}: the six reduced nets here (widths and depths reduced from the originals so they
 * train on a CPU), the paper's full-width ones in {@link PaperArchitectures} (docs/study.md lists the
 * layers). Each is a list of named stages (the hidden layers of Fig. 14).
 */
public final class Architectures {
    private Architectures() {
    }

    /** A freshly initialised network; {@code seed} alone fixes every initial weight. */
    public static Net build(Arch arch, int[] chw, int classes, long seed) {
        return build(arch, chw, classes, seed, true);
    }

    /**
     * {@code dropout} false: the nets with dropout (alexnet, efficientnet-b0) get rate 0, the same
     * parameters and the same inference. For training-mode forwards that are not training: a net at
     * initialisation measured with batch statistics ({@link DjlModel}) must not drop units, and a
     * comparison with another engine's training-mode output cannot share its masks.
     */
    public static Net build(Arch arch, int[] chw, int classes, long seed, boolean dropout) {
        if (chw.length != 3 || chw[0] < 1 || chw[1] < 8 || chw[2] < 8) {
            throw new BadInputException("input must be C x H x W with C >= 1 and H, W >= 8, found " + java.util.Arrays.toString(chw));
        }
        if (classes < 2) {
            throw new BadInputException("classes must be >= 2, found " + classes);
        }
        if (arch == Arch.LENET && (chw[1] < 16 || chw[2] < 16)) {
            throw new BadInputException("lenet input must be at least 16 x 16, found " + chw[1] + " x " + chw[2]);
        }
        List<Net.Stage> stages = new ArrayList<>();
        int depth = switch (arch) {
            case FC -> fc(stages, classes);
            case LENET -> lenet(stages, classes);
            case VGG -> vgg(stages, classes, false);
            case VGG_BN -> vgg(stages, classes, true);
            case RESNET -> resnet(stages, classes);
            case EFFICIENTNET -> efficientnet(stages, classes);
            default -> PaperArchitectures.stages(arch, chw, classes, seed, dropout, stages);
        };
        NDManager manager = TorchRuntime.newManager();
        Net net = new Net(arch, chw, classes, stages, depth, manager);
        SeededInit.apply(net, seed);
        return net;
    }

    private static int fc(List<Net.Stage> s, int k) {
        for (int i = 1; i <= 4; i++) {
            SequentialBlock b = new SequentialBlock();
            if (i == 1) {
                b.add(Blocks.batchFlattenBlock());
            }
            s.add(new Net.Stage("fc" + i, b.add(linear(64)).add(Activation.reluBlock())));
        }
        s.add(new Net.Stage("out", linear(k)));
        return 5;
    }

    private static int lenet(List<Net.Stage> s, int k) {
        s.add(new Net.Stage("conv1", new SequentialBlock().add(conv(6, 5, 1, 0, true)).add(Activation.reluBlock()).add(maxPool())));
        s.add(new Net.Stage("conv2", new SequentialBlock().add(conv(16, 5, 1, 0, true)).add(Activation.reluBlock()).add(maxPool())));
        s.add(new Net.Stage("fc1", new SequentialBlock().add(Blocks.batchFlattenBlock()).add(linear(120)).add(Activation.reluBlock())));
        s.add(new Net.Stage("fc2", new SequentialBlock().add(linear(84)).add(Activation.reluBlock())));
        s.add(new Net.Stage("out", linear(k)));
        return 5;
    }

    /** Three blocks of two 3x3 convs (16, 32, 64 channels) each ending in a 2x2 max-pool, then global average and dense. */
    private static int vgg(List<Net.Stage> s, int k, boolean bn) {
        int[] widths = {16, 32, 64};
        for (int b = 0; b < widths.length; b++) {
            for (int c = 1; c <= 2; c++) {
                SequentialBlock st = new SequentialBlock().add(conv(widths[b], 3, 1, 1, !bn));
                if (bn) {
                    st.add(batchNorm());
                }
                st.add(Activation.reluBlock());
                if (c == 2) {
                    st.add(maxPool());
                }
                s.add(new Net.Stage("conv" + (b + 1) + "_" + c, st));
            }
        }
        s.add(new Net.Stage("out", new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear(k))));
        return 7;
    }

    /** Stem (3x3, 16) and four stages of two basic blocks (16, 32, 64, 128; stride 2 from the second). */
    private static int resnet(List<Net.Stage> s, int k) {
        s.add(new Net.Stage("stem", new SequentialBlock().add(conv(16, 3, 1, 1, false)).add(batchNorm()).add(Activation.reluBlock())));
        int[] widths = {16, 32, 64, 128};
        int in = 16;
        for (int g = 0; g < widths.length; g++) {
            for (int b = 1; b <= 2; b++) {
                int stride = g > 0 && b == 1 ? 2 : 1;
                s.add(new Net.Stage("layer" + (g + 1) + "_" + b, basicBlock(in, widths[g], stride)));
                in = widths[g];
            }
        }
        s.add(new Net.Stage("out", new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear(k))));
        return 1 + 4 * 2 * 2 + 1;
    }

    /** He et al. 2016 basic block: relu(bn(conv(relu(bn(conv x)))) + skip), skip a 1x1 conv + bn when the shape changes. */
    private static Block basicBlock(int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(out, 3, stride, 1, false)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(out, 3, 1, 1, false)).add(batchNorm());
        Block skip = stride == 1 && in == out ? Blocks.identityBlock()
                : new SequentialBlock().add(conv(out, 1, stride, 0, false)).add(batchNorm());
        return new SequentialBlock()
                .add(new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())), List.of(main, skip)))
                .add(Activation.reluBlock());
    }

    /**
     * Stem (3x3, 16, SiLU), MBConv blocks (expansion, kernel, out channels, stride) =
     * (1,3,16,1), (4,3,24,2), (4,3,24,1), (4,5,40,2), (4,3,80,2), then a 1x1 head to 128 and dense.
     */
    private static int efficientnet(List<Net.Stage> s, int k) {
        s.add(new Net.Stage("stem", new SequentialBlock().add(conv(16, 3, 1, 1, false)).add(batchNorm()).add(silu())));
        int[][] blocks = {{1, 3, 16, 1}, {4, 3, 24, 2}, {4, 3, 24, 1}, {4, 5, 40, 2}, {4, 3, 80, 2}};
        int in = 16, depth = 1;
        for (int i = 0; i < blocks.length; i++) {
            int[] b = blocks[i];
            s.add(new Net.Stage("mb" + (i + 1), mbConv(in, b[0], b[1], b[2], b[3])));
            depth += b[0] == 1 ? 2 : 3;
            in = b[2];
        }
        s.add(new Net.Stage("head", new SequentialBlock().add(conv(128, 1, 1, 0, false)).add(batchNorm()).add(silu())));
        s.add(new Net.Stage("out", new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear(k))));
        return depth + 2;
    }

    /** Tan and Le 2019 MBConv: 1x1 expand, depthwise k x k, squeeze-excitation (ratio 1/4 of the input), 1x1 project; skip when shapes match. */
    private static Block mbConv(int in, int expand, int kernel, int out, int stride) {
        int mid = in * expand;
        SequentialBlock main = new SequentialBlock();
        if (expand != 1) {
            main.add(conv(mid, 1, 1, 0, false)).add(batchNorm()).add(silu());
        }
        main.add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(mid).optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2)).optGroups(mid).optBias(false).build()).add(batchNorm()).add(silu());
        int squeezed = Math.max(1, in / 4);
        SequentialBlock se = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear(squeezed)).add(silu())
                .add(linear(mid)).add(Activation.sigmoidBlock())
                .add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().expandDims(2).expandDims(3))));
        main.add(new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().mul(l.get(1).singletonOrThrow())),
                List.of(Blocks.identityBlock(), se)));
        main.add(conv(out, 1, 1, 0, false)).add(batchNorm());
        if (stride == 1 && in == out) {
            return new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                    List.of(main, Blocks.identityBlock()));
        }
        return main;
    }

    private static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters).optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad)).optBias(bias).build();
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static Block batchNorm() {
        // PyTorch's defaults: eps 1e-5, running statistics updated with weight 0.1 (DJL momentum 0.9).
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    private static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /** SiLU = x * sigmoid(x) (Elfwing et al. 2018), EfficientNet's activation. */
    private static Block silu() {
        return new LambdaBlock(l -> {
            NDArray x = l.singletonOrThrow();
            return new NDList(x.mul(x.getNDArrayInternal().sigmoid()));
        });
    }
}
