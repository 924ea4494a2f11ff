package org.diffeo4j.cli;

import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.train.Arch;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.train.TrainRun;
import org.diffeo4j.train.TrainSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code diffeo train}: trains one of the paper's architectures on P images (DJL on libtorch,
 * CPU), saving after every epoch and resuming when rerun. Parses, then delegates to {@link TrainRun}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Train an architecture of the paper's comparison on P training images; resumable.",
                "Writes DIR/train.json, DIR/model/ (for 'diffeo measure --model DIR/model'), DIR/init/ (the net at initialisation) "
                        + "and DIR/checkpoint.bin."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "fc, lenet, vgg, vgg-bn, resnet or efficientnet.")
    String arch;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Training images with labels: IDX (labels from the matching "
            + "-labels-idx1-ubyte file), CIFAR-10 batches, or class sub-folders.")
    Path data;

    @Option(names = "--test", required = true, paramLabel = "PATH", description = "Test images with labels (test error after each epoch).")
    Path test;

    @Option(names = "--train-size", required = true, paramLabel = "N", description = "Training images used (the first N unless --random-subset).")
    int trainSize;

    @Option(names = "--random-subset", description = "Draw the training images at random from --seed instead of taking the first ones.")
    boolean randomSubset;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Passes over the training images.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME", description = "adam or sgd (momentum 0.9). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "X", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--augment", defaultValue = "none", paramLabel = "SPEC", description = {"Data augmentation: none, or parts joined by +:",
            "diffeo[:s_T=X,r_T=X,s_c=X,r_c=X,c_min=N,c_max=N|auto,t_max_scale=X,interp=NAME,diffeomorphic=true|false,attempts=N]",
            "(the authors' transform.py, one (c, T, field) per image and epoch), shift[:pixels=N] (random integer shift up to",
            "N px per axis, zero fill; default 2), flip[:p=X] (horizontal, default 0.5); e.g. shift:pixels=2+flip (docs/augment.md).",
            "Default: ${DEFAULT-VALUE}."})
    String augment;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; rerunning resumes after the last finished epoch.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Augmentation augSpec;
        try {
            augSpec = Augmentation.parse(augment);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(m.startsWith("augment ") ? "--" + m : "--augment " + m, e);
        }
        TrainSpec s = new TrainSpec(Arch.parse(arch), trainSize, randomSubset, epochs, batch, optimizer, lr, seed, augSpec);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out must be a folder, found a file at " + out);
        }
        LabeledImages train = Datasets.load(data), testSet = Datasets.load(test);
        TrainRun.subset(train, s);
        if (augSpec.diffeo() != null) {
            try {
                augSpec.diffeo().cutMaxFor(train.images().width());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--augment " + e.getMessage(), e);
            }
        }
        TorchRuntime.configure(threads.count()); // after every check: bad input never starts the engine
        TrainRun.Result r;
        try (Progress p = new Progress(err, "train " + s.arch().id(), "images", (long) trainSize * epochs)) {
            r = TrainRun.run(s, train, testSet, new TrainRun.Sources(data.toString(), test.toString()), out,
                    (epoch, done, total, loss, ips) -> p.set(done, String.format(Locale.ROOT, " epoch %d loss %.4f %.0f img/s", epoch + 1, loss, ips)));
        }
        if (r.resumedEpochs() > 0) {
            err.println("note: resumed after epoch " + r.resumedEpochs() + " from " + out.resolve("checkpoint.bin"));
        }
        stdout.printf(Locale.ROOT, "%s: %d parameters, depth %d, P=%d, %d epochs, test error %.4f, %.0f images/s (%s)%n", s.arch().id(),
                r.parameters(), r.depth(), trainSize, epochs, r.testError(), r.imagesPerSecond(), TorchRuntime.describe());
        stdout.println("wrote train.json, model/, init/ to " + out + "; measure with: diffeo measure --model " + r.model() + " --data " + test);
        stdout.flush();
        return 0;
    }
}
