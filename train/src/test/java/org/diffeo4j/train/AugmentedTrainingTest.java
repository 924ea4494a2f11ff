package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training with augmentation: the batches are deformed (another loss), its time is logged, the key says
 * so; augmenting the next batch on a worker thread gives the weights of the sequential order exactly.
 */
class AugmentedTrainingTest {
    @Test
    void augmentedRunDiffersAndLogsItsAugmentationTime(@TempDir Path dir) throws IOException {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        LabeledImages train = Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz"));
        LabeledImages test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 100);
        TrainSpec plain = new TrainSpec(Arch.LENET, 128, false, 1, 32, "adam", 1e-3, 0);
        TrainSpec aug = new TrainSpec(Arch.LENET, 128, false, 1, 32, "adam", 1e-3, 0, Augmentation.parse("diffeo:c_max=10"));
        TrainRun.Result a = TrainRun.run(plain, train, test, new TrainRun.Sources("t", "t"), dir.resolve("plain"), (e, d, t, l, i) -> { });
        TrainRun.Result b = TrainRun.run(aug, train, test, new TrainRun.Sources("t", "t"), dir.resolve("aug"), (e, d, t, l, i) -> { });
        assertNotEquals(a.epochs().get(0).loss(), b.epochs().get(0).loss(), "deformed batches give another loss");
        assertTrue(a.epochs().get(0).augmentSeconds() == 0 && b.epochs().get(0).augmentSeconds() > 0, b.epochs().toString());
        assertTrue(aug.key().endsWith("|augment " + aug.augment().format()) && !plain.key().contains("augment"));
        assertTrue(Files.readString(dir.resolve("aug/train.json")).contains("\"augment_seconds\""));
    }

    @Test
    void overlappedAugmentationGivesExactlyTheSequentialWeightsAndLosses(@TempDir Path dir) throws IOException {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        LabeledImages train = Probes.first(Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz")), 200);
        LabeledImages test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 50);
        // 200 images in batches of 32: a short last batch; diffeo, shift and flip all drawn
        TrainSpec spec = new TrainSpec(Arch.LENET, 200, false, 2, 32, "adam", 1e-3, 3, Augmentation.parse("diffeo:c_max=10+shift:pixels=2+flip"));
        List<List<float[]>> weights = new java.util.ArrayList<>();
        List<List<NetTrainer.EpochLog>> logs = new java.util.ArrayList<>();
        for (boolean overlap : new boolean[]{false, true}) {
            try (Net net = Architectures.build(spec.arch(), new int[]{1, 28, 28}, 10, spec.seed())) {
                logs.add(NetTrainer.train(net, spec, train, new NetTrainer.Sets(test, null), dir.resolve("ck-" + overlap + ".bin"), new java.util.ArrayList<>(),
                        (e, d, t, l, i) -> { }, (n, l) -> { }, overlap));
                List<float[]> w = new java.util.ArrayList<>();
                net.parameters().forEach(p -> w.add(p.getValue().getArray().toFloatArray()));
                weights.add(w);
            }
        }
        for (int e = 0; e < 2; e++) {
            assertEquals(logs.get(0).get(e).loss(), logs.get(1).get(e).loss(), "loss of epoch " + (e + 1));
            assertEquals(logs.get(0).get(e).testError(), logs.get(1).get(e).testError());
            assertTrue(logs.get(1).get(e).augmentSeconds() > 0);
        }
        assertEquals(weights.get(0).size(), weights.get(1).size());
        for (int k = 0; k < weights.get(0).size(); k++) {
            assertArrayEquals(weights.get(0).get(k), weights.get(1).get(k), "parameter " + k);
        }
    }
}
