package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.report.StabilityReport;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.train.Arch;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.train.TrainRun;
import org.diffeo4j.train.TrainSpec;
import org.diffeo4j.train.TrainOptions;
import org.diffeo4j.train.PaperRecipe;
import org.diffeo4j.train.Select;
import org.diffeo4j.train.TorchModule;
import org.diffeo4j.data.ImageBatch;
import java.util.Arrays;
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
    @Option(names = "--arch", required = true, paramLabel = "NAME", description = {"fc, lenet, vgg, vgg-bn, resnet or efficientnet (reduced for CPU); "
            + "the paper's at full width: resnet18, resnet34, resnet50, efficientnet-b0, vgg11, vgg16, vgg19, vgg11-bn, vgg16-bn, vgg19-bn, "
            + "alexnet, lenet-paper, fc-l4 (1x28x28 or 3x32x32 inputs); "
            + "or FILE.pt: an untrained TorchScript module (torch.jit.script, or torch.jit.trace in train mode, saved with torch.jit.save) "
            + "mapping [B, C, H, W] to [B, K] logits, trained from its own initial weights (DIR/model/model.pt is the trained module)."})
    String arch;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Training images with labels: IDX (labels from the matching "
            + "-labels-idx1-ubyte file), CIFAR-10 batches, or class sub-folders.")
    Path data;

    @Option(names = "--test", required = true, paramLabel = "PATH", description = "Test images with labels (test error after each epoch).")
    Path test;

    @Option(names = "--train-size", required = true, paramLabel = "N", description = "Training images used (the first N unless --random-subset).")
    int trainSize;

    @Option(names = "--random-subset", arity = "0..1", paramLabel = "BOOL", description = "Draw the training images at random from --seed instead of taking the first ones "
            + "(the paper recipe's default; --random-subset=false takes the first N).")
    Boolean randomSubset;

    @Option(names = "--recipe", paramLabel = "NAME", description = {"paper: the authors' training recipe for this architecture and data set "
            + "(SGD momentum 0.9, lr 0.1, weight decay 5e-4 on weights, batch 128, cosine schedule, 250 epochs, stop at loss 0, best-test "
            + "checkpoint; Adam with a constant rate for the FC nets: fc-l4 at the authors' 0.1 without weight decay, the reduced fc at 1e-3; Fashion-MNIST and "
            + "CIFAR-10 normalised, CIFAR-10 cropped and flipped; docs/recipe.md). "
            + "Single options override it. none (default): Adam 1e-3, batch 64, constant rate."})
    String recipe;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training images (at most, with --stop-at-loss). "
            + "Required without --recipe; the paper recipe's: 250.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size. Default: 64; the paper recipe's: 128.")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam or sgd. Default: adam; the paper recipe's: sgd (adam for fc).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Base learning rate. Default: 0.001; the paper recipe's: 0.1.")
    Double lr;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (PyTorch's form), >= 0. Default: 0.9.")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "X", description = "L2 weight decay on weight tensors only (no bias, no batch-norm "
            + "scale or shift), >= 0. Default: 0; the paper recipe's: 5e-4.")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME", description = "constant, or cosine[:FRACTION]: PyTorch's CosineAnnealingLR with "
            + "T_max = FRACTION x epochs (default 0.8) stepped per epoch, rising again after T_max. Default: constant; the paper recipe's: cosine.")
    String schedule;

    @Option(names = "--stop-at-loss", paramLabel = "X", description = "Stop after an epoch whose mean training loss is <= X (0: the "
            + "authors' exactly 0). Default: never; the paper recipe's: 0.")
    Double stopAtLoss;

    @Option(names = "--min-steps", paramLabel = "N", description = "At least N optimisation steps: the epochs are raised to reach them. Default: 0.")
    Long minSteps;

    @Option(names = "--select", paramLabel = "NAME", description = "The checkpoint written to DIR/model: last, best-validation (needs "
            + "--validation) or best-test (the authors'; its test error is optimistic). Default: last; the paper recipe's: best-test.")
    String select;

    @Option(names = "--validation", paramLabel = "N", description = "Hold out N training images, disjoint from the P used, drawn from --seed. Default: 0.")
    Integer validation;

    @Option(names = "--normalise", paramLabel = "MEAN/STD", description = "Normalise the inputs after augmentation: none or per-channel "
            + "lists, e.g. 0.5/0.5. Default: none; the paper recipe's: 0.5/0.5 for Fashion-MNIST, CIFAR-10's mean/std.")
    String normalise;

    @Option(names = "--measure-every", defaultValue = "0", paramLabel = "N", description = "Measure D_f, G_f, R_f (c = 3, delta = 1, the first "
            + "500 test images) after every N epochs, into train.json: R_f during training; 0: never. Default: ${DEFAULT-VALUE}.")
    int measureEvery;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    // One line per form, each within the help's description column (CommandConventionsTest: picocli must not wrap them).
    @Option(names = "--augment", paramLabel = "SPEC", description = {
            "Data augmentation: none, or parts joined by + (docs/augment.md):",
            "diffeo[:s_T=X,r_T=X,s_c=X,r_c=X,c_min=N,c_max=N|auto,t_max_scale=X,",
            "interp=NAME,diffeomorphic=true|false,attempts=N]: the authors'",
            "transform.py, one (c, T, field) per image and epoch;",
            "shift[:pixels=N]: a random integer shift of up to N px per axis, zero",
            "fill (default 2);",
            "flip[:p=X]: a horizontal flip with probability X (default 0.5);",
            "adversarial-diffeo[:steps=N,target=margin|distance,s_T=X,...]: at",
            "the authors' (c, T), the field of the typical energy that the net",
            "being trained finds worst (N steps of diffeo attack's ascent from the",
            "drawn field; default 3, margin; docs/attack.md).",
            "E.g. shift:pixels=2+flip.",
            "Default: none; the paper recipe's on CIFAR-10: shift:pixels=4+flip."})
    String augment;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; rerunning resumes after the last finished epoch.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A training folder's files: continued, not rewritten, by a rerun (a resumed training). */
    static final java.util.List<String> FILES = java.util.List.of("train.json", "checkpoint.bin", "model", "init");

    @Override
    public Integer call() throws Exception {
        Provenance.Builder prov = Provenance.start("train");
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (measureEvery < 0) {
            throw new BadInputException("--measure-every must be >= 0, found " + measureEvery);
        }
        if (epochs == null && recipe == null) {
            throw new BadInputException("--epochs must be given (or --recipe paper, whose default is 250), found none");
        }
        TrainOptions options;
        try {
            options = new TrainOptions(recipe, epochs, batch, optimizer, lr, momentum, weightDecay, schedule, stopAtLoss, minSteps,
                    select, validation, normalise, augment, randomSubset);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage(), e);
        }
        RunFolder.check(out, "--out", 20_000_000L);
        boolean file = TorchModule.isFile(arch);
        Arch a = null;
        TrainSpec.ModuleFile module = null;
        if (file) {
            if (!Files.isRegularFile(Path.of(arch))) {
                throw new BadInputException("--arch must be a built-in architecture or a TorchScript file (.pt), found no file at " + arch);
            }
            module = TrainSpec.ModuleFile.of(Path.of(arch));
        } else {
            try {
                a = Arch.parse(arch);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--" + e.getMessage() + " (or a TorchScript FILE.pt)", e);
            }
        }
        LabeledImages train = Datasets.load(data), testSet = Datasets.load(test);
        PaperRecipe.Data kind = PaperRecipe.Data.detect(data.toString(), train.images().channels(), train.images().height(), train.images().width());
        TrainSpec s = options.resolve(a, module, trainSize, seed, kind, Augmentation.NONE, "--");
        Augmentation augSpec = s.augment();
        try {
            TrainRun.subset(train, s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage().startsWith("--") ? e.getMessage() : "--" + e.getMessage(), e);
        }
        if (augSpec.diffeo() != null || augSpec.adversarial() != null) {
            try {
                (augSpec.diffeo() != null ? augSpec.diffeo() : augSpec.adversarial().sampling()).cutMaxFor(train.images().width());
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--augment " + e.getMessage(), e);
            }
        }
        // libtorch on --threads: the module's check and the run pass it (bad input before here never starts the engine)
        org.diffeo4j.model.Options runtime = org.diffeo4j.model.Options.threads(threads.count());
        if (module != null) {
            ImageBatch x = train.images();
            int classes = Math.max(Arrays.stream(train.labels()).max().orElse(0), Arrays.stream(testSet.labels()).max().orElse(0)) + 1;
            TorchModule.load(module.path(), new int[]{x.channels(), x.height(), x.width()}, classes, "--arch", runtime).close();
        }
        TrainRun.Result r;
        // A signal ends training at once: the checkpoint holds the last finished epoch, from which a rerun resumes.
        Path checkpoint = out.resolve("checkpoint.bin");
        Runnable say = () -> {
            err.println("interrupted: " + (Files.isRegularFile(checkpoint) ? "the last finished epoch is saved in " + checkpoint
                    : "no epoch had finished") + "; rerun the same command to resume");
            err.flush();
        };
        Interruption.onSignal(say);
        String trainSha = StabilityReport.sha256(data), testSha = StabilityReport.sha256(test);
        // The folder is a kept run: locked while training (a second train into it is refused, naming this process), never replaced
        // by another run; its checkpoint's key refuses other parameters.
        // forget is the first resource: a refused folder (locked by another run, another run's parameters) closes it, so
        // the exit's clean-up does not print the interruption line after the refusal's error line.
        try (AutoCloseable forget = () -> Interruption.forget(say);
             RunFolder folder = RunFolder.open(out, "--out", "train", "train", FILES, false, prov.started());
             Progress p = new Progress(err, "train " + s.archId(), "images", (long) trainSize * s.plannedEpochs())) {
            try {
                r = TrainRun.run(s, train, testSet, new TrainRun.Sources(data.toString(), test.toString(), options.recipe(), trainSha, testSha), out,
                        (epoch, done, total, loss, ips) -> p.set(done, String.format(Locale.ROOT, " epoch %d loss %.4f %.0f img/s", epoch + 1, loss, ips)),
                        measureEvery, runtime);
            } catch (BadInputException e) { // another run's checkpoint, fewer epochs than trained: the folder stays as it was
                folder.abandon();
                throw e;
            }
            folder.commit(prov.engine(TorchRuntime.describe()).threads(threads.count()).seed(seed)
                    .input("train", data.toString(), trainSha, null).input("test", test.toString(), testSha, null)
                    .detail("arch", s.archId()).detail("train_size", trainSize).finish());
        }
        if (r.resumedEpochs() > 0) {
            err.println("note: resumed after epoch " + r.resumedEpochs() + " from " + out.resolve("checkpoint.bin"));
        }
        TrainRun.Fit f = r.fit();
        stdout.printf(Locale.ROOT, "%s: %d parameters, depth %s, P=%d, %d epochs run (%s), checkpoint %s of epoch %d: test error %.4f%s, "
                        + "training error %.4f, %s; %.0f images/s (%s)%n", s.archId(), r.parameters(), r.depth() >= 0 ? Integer.toString(r.depth()) : "unknown", trainSize, f.epochsRun(),
                f.stopped(), f.selected().id(), f.selectedEpoch(), r.testError(), f.selected() == Select.BEST_TEST ? " (chosen on the test set)" : "",
                f.trainError(), f.converged() ? "converged" : "NOT converged: " + f.why(), r.imagesPerSecond(), TorchRuntime.describe());
        stdout.println("wrote train.json, model/, init/ to " + out + "; measure with: diffeo measure --model " + r.model() + " --data " + test);
        stdout.flush();
        return 0;
    }
}
