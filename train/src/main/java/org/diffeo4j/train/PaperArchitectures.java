package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import java.util.Arrays;
import java.util.List;

/**
 * The paper's nets at full width, layer for layer the authors' definitions (github.com/leonardopetrini/
 * diffeo-sota, models/, built by their main.py with its defaults: VGG width factor 1, max-pool 2 with
 * stride 2, LeNet stride 2, DenseNetL4 width 64). Parameter shapes, order and count, and the logits for
 * given weights, equal theirs (PaperArchitecturesTest against the golden of tools/paper_archs_fixture.py).
 * Where the authors zero-pad a one-channel input by 2 (VGG, AlexNet), the first conv pads 2 more instead:
 * the same zeros, one layer fewer.
 */
final class PaperArchitectures {
    /** The two input shapes the authors' layer sizes are written for (their dense layers' widths follow the channel count). */
    static final List<int[]> INPUTS = List.of(new int[]{1, 28, 28}, new int[]{3, 32, 32});

    private PaperArchitectures() {
    }

    /**
     * Adds {@code arch}'s stages to {@code s} (modified) and returns its depth. {@code dropout}: false
     * builds dropout with rate 0 (to compare training-mode outputs); {@code seed} seeds the masks.
     */
    static int stages(Arch arch, int[] chw, int classes, long seed, boolean dropout, List<Net.Stage> s) {
        if (INPUTS.stream().noneMatch(i -> Arrays.equals(i, chw))) {
            throw new BadInputException(arch.id() + " input must be 1 x 28 x 28 or 3 x 32 x 32 (the authors' sizes), found "
                    + chw[0] + " x " + chw[1] + " x " + chw[2]);
        }
        int pad = chw[0] == 1 ? 2 : 0;
        return switch (arch) {
            case RESNET18 -> resnet(s, classes, new int[]{2, 2, 2, 2}, false);
            case RESNET34 -> resnet(s, classes, new int[]{3, 4, 6, 3}, false);
            case RESNET50 -> resnet(s, classes, new int[]{3, 4, 6, 3}, true);
            case EFFICIENTNET_B0 -> efficientnetB0(s, classes, dropout ? 0.2 : 0, seed);
            case VGG11, VGG11_BN -> vgg(s, classes, new int[][]{{64}, {128}, {256, 256}, {512, 512}, {512, 512}}, arch.batchNorm(), pad);
            case VGG16, VGG16_BN -> vgg(s, classes, new int[][]{{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}},
                    arch.batchNorm(), pad);
            case VGG19, VGG19_BN -> vgg(s, classes, new int[][]{{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512},
                    {512, 512, 512, 512}}, arch.batchNorm(), pad);
            case ALEXNET -> alexnet(s, classes, dropout ? 0.5 : 0, seed, pad);
            case LENET_PAPER -> lenet(s, classes);
            case FC_L4 -> fcL4(s, classes);
            default -> throw new IllegalArgumentException("arch must be a full-width net, found " + arch.id());
        };
    }

    /** models/resnet.py: 3x3 stem of 64 (stride 1), stages of 64, 128, 256, 512 planes (stride 2 from the second), avg-pool 4, dense. */
    private static int resnet(List<Net.Stage> s, int k, int[] blocks, boolean bottleneck) {
        s.add(new Net.Stage("conv1", new SequentialBlock().add(Layers.conv(64, 3, 1, 1, false)).add(Layers.batchNorm())
                .add(Activation.reluBlock())));
        int in = 64, depth = 1;
        for (int g = 0; g < 4; g++) {
            int planes = 64 << g;
            SequentialBlock layer = new SequentialBlock();
            for (int b = 0; b < blocks[g]; b++) {
                layer.add(new ResidualBlock(in, planes, g > 0 && b == 0 ? 2 : 1, bottleneck));
                in = bottleneck ? 4 * planes : planes;
                depth += bottleneck ? 3 : 2;
            }
            s.add(new Net.Stage("layer" + (g + 1), layer));
        }
        // F.avg_pool2d(out, 4): the last stage is 4 x 4 for both inputs (28 -> 14 -> 7 -> 4 and 32 -> 16 -> 8 -> 4).
        s.add(new Net.Stage("out", new SequentialBlock().add(Pool.avgPool2dBlock(new Shape(4, 4), new Shape(4, 4)))
                .add(Blocks.batchFlattenBlock()).add(Layers.linear(k))));
        return depth + 1;
    }

    /**
     * models/efficientnet.py EfficientNetB0: 3x3 stem of 32 (stride 1) with swish, then rows of (expansion,
     * width, blocks, kernel, stride) (1,16,1,3,1) (6,24,2,3,2) (6,40,2,5,2) (6,80,3,3,2) (6,112,3,5,1)
     * (6,192,4,5,2) (6,320,1,3,1), one stage per row; global average, dropout 0.2, dense. No 1x1 head to 1280.
     */
    private static int efficientnetB0(List<Net.Stage> s, int k, double dropout, long seed) {
        s.add(new Net.Stage("conv1", new SequentialBlock().add(Layers.conv(32, 3, 1, 1, false)).add(Layers.batchNorm())
                .addSingleton(Layers::swish)));
        int[][] rows = {{1, 16, 1, 3, 1}, {6, 24, 2, 3, 2}, {6, 40, 2, 5, 2}, {6, 80, 3, 3, 2}, {6, 112, 3, 5, 1}, {6, 192, 4, 5, 2},
                {6, 320, 1, 3, 1}};
        int in = 32, depth = 1;
        for (int r = 0; r < rows.length; r++) {
            int[] row = rows[r];
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < row[2]; b++) {
                stage.add(new MBConvBlock(in, row[1], row[3], b == 0 ? row[4] : 1, row[0]));
                in = row[1];
                depth += row[0] == 1 ? 2 : 3;
            }
            s.add(new Net.Stage("mb" + (r + 1), stage));
        }
        s.add(new Net.Stage("out", new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(new SeededDropout(dropout, seed))
                .add(Layers.linear(k))));
        return depth + 1;
    }

    /** models/vgg.py: 3x3 convs with bias (and batch-norm), ReLU, a max-pool closing each group; 32 -> 1 pixel; dense 512 -> K. */
    private static int vgg(List<Net.Stage> s, int k, int[][] groups, boolean bn, int pad) {
        int depth = 0;
        for (int g = 0; g < groups.length; g++) {
            for (int c = 0; c < groups[g].length; c++) {
                SequentialBlock st = new SequentialBlock().add(Layers.conv(groups[g][c], 3, 1, depth == 0 ? 1 + pad : 1, true));
                if (bn) {
                    st.add(Layers.batchNorm());
                }
                st.add(Activation.reluBlock());
                if (c == groups[g].length - 1) {
                    st.add(Layers.maxPool2());
                }
                s.add(new Net.Stage("conv" + (g + 1) + "_" + (c + 1), st));
                depth++;
            }
        }
        s.add(new Net.Stage("out", new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Layers.linear(k))));
        return depth + 1;
    }

    /** models/alexnet.py: convs 64 (3x3 stride 2), 192, 384, 256, 256 with three max-pools to 2 x 2; dropout, 4096, dropout, 4096, K. */
    private static int alexnet(List<Net.Stage> s, int k, double dropout, long seed, int pad) {
        s.add(new Net.Stage("conv1", new SequentialBlock().add(Layers.conv(64, 3, 2, 1 + pad, true)).add(Activation.reluBlock())
                .add(Layers.maxPool2())));
        s.add(new Net.Stage("conv2", new SequentialBlock().add(Layers.conv(192, 3, 1, 1, true)).add(Activation.reluBlock())
                .add(Layers.maxPool2())));
        s.add(new Net.Stage("conv3", new SequentialBlock().add(Layers.conv(384, 3, 1, 1, true)).add(Activation.reluBlock())));
        s.add(new Net.Stage("conv4", new SequentialBlock().add(Layers.conv(256, 3, 1, 1, true)).add(Activation.reluBlock())));
        s.add(new Net.Stage("conv5", new SequentialBlock().add(Layers.conv(256, 3, 1, 1, true)).add(Activation.reluBlock())
                .add(Layers.maxPool2())));
        s.add(new Net.Stage("fc1", new SequentialBlock().add(Blocks.batchFlattenBlock()).add(new SeededDropout(dropout, seed))
                .add(Layers.linear(4096)).add(Activation.reluBlock())));
        s.add(new Net.Stage("fc2", new SequentialBlock().add(new SeededDropout(dropout, seed + 0x632BE59BD9B4E019L))
                .add(Layers.linear(4096)).add(Activation.reluBlock())));
        s.add(new Net.Stage("out", Layers.linear(k)));
        return 8;
    }

    /** models/lenet.py LeNet (stride 2): conv 6@5x5, max-pool 2, conv 16@5x5, max-pool 2, dense 120, 84, K, all ReLU. */
    private static int lenet(List<Net.Stage> s, int k) {
        s.add(new Net.Stage("conv1", new SequentialBlock().add(Layers.conv(6, 5, 1, 0, true)).add(Activation.reluBlock()).add(Layers.maxPool2())));
        s.add(new Net.Stage("conv2", new SequentialBlock().add(Layers.conv(16, 5, 1, 0, true)).add(Activation.reluBlock()).add(Layers.maxPool2())));
        s.add(new Net.Stage("fc1", new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Layers.linear(120)).add(Activation.reluBlock())));
        s.add(new Net.Stage("fc2", new SequentialBlock().add(Layers.linear(84)).add(Activation.reluBlock())));
        s.add(new Net.Stage("out", Layers.linear(k)));
        return 5;
    }

    /** models/simplenets.py DenseNetL4 (h = main.py's --width 64): three hidden layers and the output, in mean-field scaling. */
    private static int fcL4(List<Net.Stage> s, int k) {
        for (int i = 1; i <= 3; i++) {
            s.add(new Net.Stage("fc" + i, new ScaledDense(64, false)));
        }
        s.add(new Net.Stage("out", new ScaledDense(k, true)));
        return 4;
    }
}
