package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with diffeo augmentation: the batches are deformed (another loss), its time is logged, the key says so. */
class AugmentedTrainingTest {
    @Test
    void augmentedRunDiffersAndLogsItsAugmentationTime(@TempDir Path dir) throws IOException {
        TorchRuntime.configure(1);
        Path mnist = SharedFiles.root().resolve("data/mnist");
        LabeledImages train = Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz"));
        LabeledImages test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 100);
        TrainSpec plain = new TrainSpec(Arch.LENET, 128, false, 1, 32, "adam", 1e-3, 0);
        TrainSpec aug = new TrainSpec(Arch.LENET, 128, false, 1, 32, "adam", 1e-3, 0, AugmentSpec.parse("diffeo:c_max=10"));
        TrainRun.Result a = TrainRun.run(plain, train, test, new TrainRun.Sources("t", "t"), dir.resolve("plain"), (e, d, t, l, i) -> { });
        TrainRun.Result b = TrainRun.run(aug, train, test, new TrainRun.Sources("t", "t"), dir.resolve("aug"), (e, d, t, l, i) -> { });
        assertNotEquals(a.epochs().get(0).loss(), b.epochs().get(0).loss(), "deformed batches give another loss");
        assertTrue(a.epochs().get(0).augmentSeconds() == 0 && b.epochs().get(0).augmentSeconds() > 0, b.epochs().toString());
        assertTrue(aug.key().endsWith("|augment " + aug.augment().format()) && !plain.key().contains("augment"));
        assertTrue(Files.readString(dir.resolve("aug/train.json")).contains("\"augment_seconds\""));
    }
}
