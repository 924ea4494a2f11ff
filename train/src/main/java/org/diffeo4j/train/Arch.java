package org.diffeo4j.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * The architectures of the paper's comparison (Fig. 5 separates depth, batch-norm and skip
 * connections), reduced so they train on a CPU. Layers, parameter counts and depths: docs/study.md.
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
    EFFICIENTNET("efficientnet");

    private final String id;

    Arch(String id) {
        this.id = id;
    }

    /** The name used on the command line and in study files. */
    public String id() {
        return id;
    }

    /** True when the net has batch-norm layers (R_f at initialisation then uses batch statistics). */
    public boolean batchNorm() {
        return this == VGG_BN || this == RESNET || this == EFFICIENTNET;
    }

    /** Parses a name; one-line error listing the choices. */
    public static Arch parse(String name) {
        for (Arch a : values()) {
            if (a.id.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("arch must be one of " + Arrays.stream(values()).map(Arch::id).toList() + ", found '" + name + "'");
    }
}
