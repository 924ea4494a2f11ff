package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on a few hundred real MNIST digits: the loss falls, a seeded one-thread run repeats, a resumed run equals an uninterrupted one. */
class TrainingTest {
    static LabeledImages train, test;

    @BeforeAll
    static void data() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        train = Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz"));
        test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 200);
    }

    @Test
    void aFewEpochsReduceTheLoss(@TempDir Path dir) throws IOException {
        TrainSpec spec = new TrainSpec(Arch.LENET, 256, false, 4, 32, "adam", 3e-3, 0);
        TrainRun.Result r = TrainRun.run(spec, train, test, new TrainRun.Sources("train", "test"), dir, (e, d, t, l, i) -> { });
        List<NetTrainer.EpochLog> e = r.epochs();
        assertTrue(e.get(3).loss() < 0.8 * e.get(0).loss(), "loss " + e);
        assertTrue(r.testError() < 0.6, "test error " + r.testError());
        assertTrue(Files.isRegularFile(dir.resolve("train.json")) && Files.isRegularFile(dir.resolve("model/model.json")));
    }

    @Test
    void aSeededOneThreadRunRepeatsAndAResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        TrainSpec two = new TrainSpec(Arch.VGG_BN, 96, true, 2, 32, "sgd", 0.05, 5);
        TrainRun.Result a = TrainRun.run(two, train, test, new TrainRun.Sources("train", "test"), dir.resolve("a"), (e, d, t, l, i) -> { });
        TrainRun.Result b = TrainRun.run(two, train, test, new TrainRun.Sources("train", "test"), dir.resolve("b"), (e, d, t, l, i) -> { });
        // Stop after one epoch (a run asked for 1 epoch), then ask for 2 in the same folder: it resumes.
        TrainSpec one = new TrainSpec(Arch.VGG_BN, 96, true, 1, 32, "sgd", 0.05, 5);
        TrainRun.run(one, train, test, new TrainRun.Sources("train", "test"), dir.resolve("c"), (e, d, t, l, i) -> { });
        TrainRun.Result c = TrainRun.run(two, train, test, new TrainRun.Sources("train", "test"), dir.resolve("c"), (e, d, t, l, i) -> { });
        assertEquals(1, c.resumedEpochs());
        for (TrainRun.Result other : List.of(b, c)) {
            assertEquals(a.epochs().get(1).loss(), other.epochs().get(1).loss());
            assertEquals(a.testError(), other.testError());
            assertArrayEquals(Files.readAllBytes(dir.resolve("a/model/weights.bin")), Files.readAllBytes(other.model().resolve("weights.bin")));
        }
    }

    @Test
    void aFolderOfAnotherRunIsRefused(@TempDir Path dir) throws IOException {
        TrainRun.run(new TrainSpec(Arch.FC, 64, false, 1, 32, "adam", 1e-3, 0), train, test, new TrainRun.Sources("t", "t"), dir, (e, d, t, l, i) -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainRun.run(
                new TrainSpec(Arch.FC, 64, false, 1, 32, "adam", 1e-3, 1), train, test, new TrainRun.Sources("t", "t"), dir, (x, d, t, l, i) -> { }));
        assertTrue(e.getMessage().startsWith("out must be empty or hold a run of the same parameters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainRun.subset(train, new TrainSpec(Arch.FC, 100_000, false, 1, 32, "adam", 1e-3, 0)));
    }
}
