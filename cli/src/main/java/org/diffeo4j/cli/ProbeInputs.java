package org.diffeo4j.cli;

import org.diffeo4j.data.Normalisation;
import org.diffeo4j.validate.BadInputException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The model, the probe images and the protocol's shared settings, the same options in {@code measure} and
 * {@code attack} (an attack cell's typical columns are the measurement's: same probes, draws, seed, average).
 */
final class ProbeInputs {
    @Option(names = "--model", paramLabel = "PATH", description = "ONNX file (e.g. exported from PyTorch), TorchScript file (.pt), DL4J ModelSerializer zip, or a folder written by diffeo train.")
    Path model;

    @Option(names = "--data", paramLabel = "PATH", description = "IDX (gz or not), CIFAR-10 .bin or folder, image folder (class sub-folders), .npy.")
    Path data;

    @Option(names = "--layout", defaultValue = "nchw", paramLabel = "NAME",
            description = "Axis order of 4-dimensional NPY data: nchw, or nhwc (transposed on reading). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--probes", defaultValue = "500", paramLabel = "N", description = "Probe images (at least 3 with the median, 2 with the mean). Default: ${DEFAULT-VALUE}.")
    int probes;

    @Option(names = "--random-probes", description = "Draw the probes at random (from --seed) instead of taking the first N.")
    boolean randomProbes;

    @Option(names = "--cut", defaultValue = "3", paramLabel = "LIST", description = "Cut-offs c, e.g. 3 or 3,5,15 (at most the image side - 1). Default: ${DEFAULT-VALUE}.")
    String cut;

    @Option(names = "--average", defaultValue = "median", paramLabel = "NAME", description = "median (the reference's) or mean. Default: ${DEFAULT-VALUE}.")
    String average;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--mean", paramLabel = "LIST", description = "Per-channel mean subtracted after scaling to [0, 1], e.g. 0.1307 (with --std).")
    String mean;

    @Option(names = "--std", paramLabel = "LIST", description = "Per-channel std divided by after subtracting --mean, e.g. 0.3081.")
    String std;

    /** The normalisation --mean and --std ask for, or null without them; one of them alone is bad input. */
    Normalisation normalisation() {
        if (mean == null && std == null) {
            return null;
        }
        if (mean == null || std == null) {
            throw new BadInputException("--mean and --std must be given together, found only " + (mean == null ? "--std" : "--mean"));
        }
        return new Normalisation(Lists.doubles("--mean", mean), Lists.doubles("--std", std));
    }
}
