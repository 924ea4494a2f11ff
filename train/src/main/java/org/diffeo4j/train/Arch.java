package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The architectures of the paper's comparison (Fig. 5 separates depth, batch-norm and skip
 * connections): six reduced so they train on a CPU, and the paper's own at full width, as the authors
 * define them (github.com/leonardopetrini/diffeo-sota, models/; {@link #paperName()} is their name).
 * Layers, parameter counts and depths: docs/study.md.
 */
public enum Arch {
    /** FullConn-L4: four hidden layers of 64, ReLU. */
    FC("fc"),
    /** LeNet: two 5x5 convs with max-pool, then dense 120-84-K. */
    LENET("lenet"),
    /** Reduced VGG: three blocks of two 3x3 convs (16, 32, 64) and a max-pool, no batch-norm. */
    VGG("vgg"),
    /** The same VGG with batch-norm after each conv. */
    VGG_BN("vgg-bn"),
    /** Reduced ResNet-18: stem and four stages of two basic blocks (16, 32, 64, 128), batch-norm, skips. */
    RESNET("resnet"),
    /** Reduced EfficientNet-B0: MBConv blocks (depthwise convs, squeeze-excitation, SiLU, batch-norm). */
    EFFICIENTNET("efficientnet"),
    /** The paper's ResNet-18: 3x3 stem of 64, four stages of two basic blocks (64, 128, 256, 512). */
    RESNET18("resnet18", "ResNet18"),
    /** ResNet-34: stages of 3, 4, 6, 3 basic blocks. */
    RESNET34("resnet34", "ResNet34"),
    /** ResNet-50: stages of 3, 4, 6, 3 bottleneck blocks (expansion 4). */
    RESNET50("resnet50", "ResNet50"),
    /** EfficientNet-B0 as in the authors' code: 16 MBConv blocks with squeeze-excitation, no 1x1 head, dropout 0.2. */
    EFFICIENTNET_B0("efficientnet-b0", "EfficientNetB0"),
    /** VGG-11: 8 3x3 convs (64 to 512) with biases, five max-pools, one dense layer. */
    VGG11("vgg11", "VGG11"),
    /** VGG-16: 13 convs. */
    VGG16("vgg16", "VGG16"),
    /** VGG-19: 16 convs. */
    VGG19("vgg19", "VGG19"),
    /** VGG-11 with batch-norm after each conv (the convs keep their biases, as the authors'). */
    VGG11_BN("vgg11-bn", "VGG11bn"),
    /** VGG-16 with batch-norm. */
    VGG16_BN("vgg16-bn", "VGG16bn"),
    /** VGG-19 with batch-norm. */
    VGG19_BN("vgg19-bn", "VGG19bn"),
    /** AlexNet for 32x32 inputs: five convs (64, 192, 384, 256, 256), three max-pools, dense 4096-4096-K with dropout 0.5. */
    ALEXNET("alexnet", "AlexNet"),
    /** The authors' LeNet: the layers of {@link #LENET}, held to their input sizes and checked against their code. */
    LENET_PAPER("lenet-paper", "LeNet"),
    /** DenseNetL4: three hidden layers of 64 in mean-field scaling (x W / sqrt(d) + b, last x W / h), weights N(0, 1). */
    FC_L4("fc-l4", "DenseNetL4");

    private final String id;
    private final String paperName;

    Arch(String id) {
        this(id, null);
    }

    Arch(String id, String paperName) {
        this.id = id;
        this.paperName = paperName;
    }

    /** The name used on the command line and in study files. */
    public String id() {
        return id;
    }

    /** True when the net has batch-norm layers (R_f at initialisation then uses batch statistics). */
    public boolean batchNorm() {
        return switch (this) {
            case VGG_BN, RESNET, EFFICIENTNET, RESNET18, RESNET34, RESNET50, EFFICIENTNET_B0, VGG11_BN, VGG16_BN, VGG19_BN -> true;
            default -> false;
        };
    }

    /** True for the paper's nets at full width (the authors' definitions), false for the six reduced ones. */
    public boolean fullWidth() {
        return paperName != null;
    }

    /** The authors' name for a full-width net (their main.py {@code --net}), empty for a reduced one. */
    public String paperName() {
        return paperName == null ? "" : paperName;
    }

    /** Parses a name; one-line error listing the choices. */
    public static Arch parse(String name) {
        for (Arch a : values()) {
            if (a.id.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new BadInputException("arch must be one of " + Arrays.stream(values()).map(Arch::id).toList() + ", found '" + name + "'");
    }
}
