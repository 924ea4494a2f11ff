package org.diffeo4j.train;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paper preset, option overrides, held-out images, checkpoint selection, stopping and the steps minimum. */
class RecipeTest {
    static LabeledImages train, test;

    @BeforeAll
    static void data() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        train = Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz"));
        test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 200);
    }

    @Test
    void paperPresetPerArchitectureAndData() {
        TrainSpec conv = new TrainOptions("paper", null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .resolve(Arch.RESNET, 512, 3, PaperRecipe.Data.FASHION_MNIST, Augmentation.NONE, "--");
        assertEquals("sgd", conv.optimizer());
        assertEquals(0.1, conv.lr());
        assertEquals(128, conv.batch());
        assertEquals(250, conv.epochs());
        assertTrue(conv.randomSubset());
        assertEquals(0.9, conv.recipe().momentum());
        assertEquals(5e-4, conv.recipe().weightDecay());
        assertEquals(Schedule.PAPER, conv.recipe().schedule());
        assertEquals(0.0, conv.recipe().stopAtLoss());
        assertEquals(Select.BEST_TEST, conv.recipe().select());
        assertEquals("0.5/0.5", conv.recipe().normaliseText());
        TrainSpec fc = new TrainOptions("paper", 20, null, null, null, null, null, null, null, null, null, null, null, null, false)
                .resolve(Arch.FC, 512, 3, PaperRecipe.Data.MNIST, Augmentation.NONE, "--");
        assertEquals("adam", fc.optimizer());
        assertEquals(1e-3, fc.lr(), "the reduced fc: Adam at 1e-3 (lr 0.1 is the authors' for their scaled DenseNetL4)");
        assertEquals(Schedule.CONSTANT, fc.recipe().schedule());
        assertNull(fc.recipe().normalise());
        assertEquals(20, fc.epochs(), "a single option overrides the preset");
        assertFalse(fc.randomSubset());
        assertEquals(5e-4, fc.recipe().weightDecay(), "the reduced fc keeps the decay");
        TrainSpec l4 = new TrainOptions("paper", null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .resolve(Arch.FC_L4, 512, 3, PaperRecipe.Data.FASHION_MNIST, Augmentation.NONE, "--");
        assertEquals("adam", l4.optimizer());
        assertEquals(0.1, l4.lr());
        assertEquals(0.0, l4.recipe().weightDecay(), "DenseNetL4 does not train with 5e-4 (PaperRecipe.of)");
        TrainSpec l4decay = new TrainOptions("paper", null, null, null, null, null, 5e-4, null, null, null, null, null, null, null, null)
                .resolve(Arch.FC_L4, 512, 3, PaperRecipe.Data.FASHION_MNIST, Augmentation.NONE, "--");
        assertEquals(5e-4, l4decay.recipe().weightDecay(), "--weight-decay still overrides the preset");
        TrainSpec cifar = new TrainOptions("paper", null, null, null, 0.05, null, 0.0, "cosine:0.5", null, null, null, null, null, null, null)
                .resolve(Arch.VGG_BN, 512, 3, PaperRecipe.Data.CIFAR10, Augmentation.NONE, "--");
        assertEquals("shift:pixels=4+flip", cifar.augment().format());
        assertEquals(3, cifar.recipe().normalise().mean().length);
        assertEquals(0.05, cifar.lr());
        assertEquals(0.0, cifar.recipe().weightDecay());
        assertEquals(0.5, cifar.recipe().schedule().fraction());
        assertEquals(PaperRecipe.Data.CIFAR10, PaperRecipe.Data.detect("x", 3, 32, 32));
        assertEquals(PaperRecipe.Data.FASHION_MNIST, PaperRecipe.Data.detect("data/Fashion-MNIST/train.gz", 1, 28, 28));
        assertEquals(PaperRecipe.Data.MNIST, PaperRecipe.Data.detect("data/mnist/train.gz", 1, 28, 28));
    }

    @Test
    void legacyDefaultsWithoutARecipeAndStudyStyleNames() {
        TrainSpec s = new TrainOptions(null, 3, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .resolve(Arch.LENET, 64, 0, PaperRecipe.Data.MNIST, Augmentation.NONE, "--");
        assertEquals("adam", s.optimizer());
        assertEquals(1e-3, s.lr());
        assertEquals(64, s.batch());
        assertEquals(Recipe.DEFAULT, s.recipe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainOptions(null, 3, null, null, null, null, -1.0,
                null, null, null, null, null, null, null, null).resolve(Arch.LENET, 64, 0, PaperRecipe.Data.MNIST, Augmentation.NONE, "training."));
        assertTrue(e.getMessage().startsWith("training.weight_decay must be a finite number >= 0"), e.getMessage());
    }

    /** The loss stop waits for the minimum of steps: at least N steps whatever the loss. */
    @Test
    void theLossStopWaitsForTheMinimumOfSteps() {
        TrainSpec s = new TrainSpec(Arch.LENET, 100, false, 10, 32, "sgd", 0.1, 0).with(Recipe.DEFAULT.withStopAtLoss(0.5).withMinSteps(12));
        List<NetTrainer.EpochLog> two = List.of(new NetTrainer.EpochLog(1, 0.9, 0.5, 1, 1), new NetTrainer.EpochLog(2, 0.1, 0.5, 1, 1));
        assertFalse(NetTrainer.finished(s, two), "8 steps < 12");
        List<NetTrainer.EpochLog> three = new java.util.ArrayList<>(two);
        three.add(new NetTrainer.EpochLog(3, 0.1, 0.5, 1, 1));
        assertTrue(NetTrainer.finished(s, three), "12 steps and the loss at the stop");
    }

    @Test
    void minStepsRaiseTheEpochsAndEnterTheKeyOnlyWithASchedule() {
        TrainSpec s = new TrainSpec(Arch.LENET, 100, false, 2, 32, "sgd", 0.1, 0).with(Recipe.DEFAULT.withMinSteps(20));
        assertEquals(4, s.stepsPerEpoch());
        assertEquals(5, s.plannedEpochs());
        assertFalse(s.key().contains("over"));
        assertTrue(s.with(s.recipe().withSchedule(Schedule.PAPER)).key().contains("schedule cosine:0.8 over 5"));
    }

    @Test
    void validationIsDisjointFromTheTrainingImagesAndSeeded() {
        for (boolean random : new boolean[]{true, false}) {
            TrainSpec s = new TrainSpec(Arch.LENET, 300, random, 1, 32, "sgd", 0.1, 7).with(Recipe.DEFAULT.withSelect(Select.BEST_VALIDATION, 200));
            Set<String> p = fingerprints(TrainRun.subset(train, s)), v = fingerprints(TrainRun.validation(train, s));
            assertEquals(300, p.size());
            assertEquals(200, v.size());
            Set<String> both = new HashSet<>(p);
            both.retainAll(v);
            assertTrue(both.isEmpty(), "validation shares " + both.size() + " images with the training set (random " + random + ")");
            assertEquals(v, fingerprints(TrainRun.validation(train, s)), "the same seed draws the same held-out images");
        }
    }

    /**
     * Best-test keeps the first epoch of the lowest test error and writes it to model/; stop-at-loss ends
     * the run after the epoch whose loss reached it; a rerun resumes into the same result.
     */
    @Test
    void selectionStoppingAndResume(@TempDir Path dir) throws IOException {
        TrainSpec s = new TrainSpec(Arch.LENET, 256, true, 8, 32, "sgd", 0.05, 1)
                .with(new Recipe(0.9, 5e-4, Schedule.PAPER, 0.2, 0, Select.BEST_TEST, 0, null));
        TrainRun.Result r = TrainRun.run(s, train, test, new TrainRun.Sources("t", "t", "paper"), dir, (e, d, t, l, i) -> { });
        List<NetTrainer.EpochLog> logs = r.epochs();
        NetTrainer.EpochLog last = logs.get(logs.size() - 1);
        assertTrue(logs.size() == 8 || last.loss() <= 0.2, "stops at the planned epochs or at the loss");
        for (int i = 0; i < logs.size() - 1; i++) {
            assertTrue(logs.get(i).loss() > 0.2, "ran on after an epoch at the stop loss: " + logs);
        }
        double best = logs.stream().mapToDouble(NetTrainer.EpochLog::testError).min().orElseThrow();
        int first = logs.stream().filter(l -> l.testError() == best).findFirst().orElseThrow().epoch();
        assertEquals(first, r.fit().selectedEpoch());
        assertEquals(first, ModelDir.read(r.model()).epochs());
        assertEquals(best, r.fit().testError(), 1e-12, "model/ holds the best-test weights");
        double[] rates = Schedule.PAPER.rates(0.05, 8);
        for (NetTrainer.EpochLog l : logs) {
            assertEquals(rates[l.epoch() - 1], l.lr(), 1e-12);
        }
        String json = Files.readString(dir.resolve("train.json"));
        assertTrue(json.contains("\"selection_note\"") && json.contains("\"weight_decay\": 5.0E-4") && json.contains("\"epochs_run\""), json);
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        TrainRun.Result again = TrainRun.run(s, train, test, new TrainRun.Sources("t", "t", "paper"), dir, (e, d, t, l, i) -> { });
        assertEquals(logs.size(), again.resumedEpochs());
        assertEquals(r.fit(), again.fit());
    }

    /** --measure-every 1: every epoch's record holds D_f, G_f, R_f; a resumed run has the same values (they are in the checkpoint). */
    @Test
    void stabilityDuringTrainingIsRecordedAndResumes(@TempDir Path dir) throws IOException {
        TrainSpec two = new TrainSpec(Arch.LENET, 128, true, 2, 32, "sgd", 0.05, 4);
        TrainRun.Result a = TrainRun.run(two, train, test, new TrainRun.Sources("t", "t"), dir.resolve("a"), (e, d, t, l, i) -> { }, 1);
        for (NetTrainer.EpochLog l : a.epochs()) {
            assertTrue(l.dgr() != null && l.dgr()[2] > 0 && Math.abs(l.dgr()[2] - l.dgr()[0] / l.dgr()[1]) < 1e-9 * l.dgr()[2], "epoch " + l.epoch());
        }
        TrainRun.run(new TrainSpec(Arch.LENET, 128, true, 1, 32, "sgd", 0.05, 4), train, test, new TrainRun.Sources("t", "t"), dir.resolve("b"),
                (e, d, t, l, i) -> { }, 1);
        TrainRun.Result b = TrainRun.run(two, train, test, new TrainRun.Sources("t", "t"), dir.resolve("b"), (e, d, t, l, i) -> { }, 1);
        assertEquals(1, b.resumedEpochs());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(a.epochs().get(k).dgr(), b.epochs().get(k).dgr());
        }
        assertTrue(Files.readString(dir.resolve("a/train.json")).contains("\"stability\""));
    }

    /** An exploding rate stops the run with one line, the checkpoint of the last good epoch kept, nothing non-finite written. */
    @Test
    void aNonFiniteLossStopsTheRun(@TempDir Path dir) throws IOException {
        TrainSpec s = new TrainSpec(Arch.FC, 64, false, 2, 32, "sgd", 1e30, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainRun.run(s, train, test, new TrainRun.Sources("t", "t"), dir, (x, d, t, l, i) -> { }));
        assertTrue(e.getMessage().startsWith("training loss became non-finite"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("checkpoint.bin")), "no epoch finished, so no checkpoint");
    }

    private static Set<String> fingerprints(LabeledImages set) {
        Set<String> out = new HashSet<>();
        int size = set.images().sampleSize();
        for (int k = 0; k < set.images().count(); k++) {
            out.add(Arrays.toString(Arrays.copyOfRange(set.images().data(), k * size, (k + 1) * size)));
        }
        return out;
    }
}
