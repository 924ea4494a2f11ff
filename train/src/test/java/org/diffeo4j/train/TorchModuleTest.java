package org.diffeo4j.train;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training a TorchScript module from PyTorch (--arch FILE.pt): it learns, resumes exactly, keeps its buffers, and bad modules are refused. */
class TorchModuleTest {
    static LabeledImages train, test;
    static Path module, badOutput;

    @BeforeAll
    static void data() throws URISyntaxException {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        train = Datasets.load(mnist.resolve("train-images-idx3-ubyte.gz"));
        test = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 200);
        module = Path.of(TorchModuleTest.class.getResource("/torch/small_bn.pt").toURI());
        badOutput = Path.of(TorchModuleTest.class.getResource("/torch/bad_output.pt").toURI());
    }

    private static TrainSpec spec(int epochs) {
        return new TrainSpec(null, 256, true, epochs, 32, "sgd", 0.05, 3, null, Recipe.DEFAULT.withWeightDecay(5e-4), TrainSpec.ModuleFile.of(module));
    }

    @Test
    void aModuleTrainsResumesExactlyAndIsMeasuredWithItsLayers(@TempDir Path dir) throws IOException {
        TrainRun.Result a = TrainRun.run(spec(3), train, test, new TrainRun.Sources("t", "t"), dir.resolve("a"), (e, d, t, l, i) -> { });
        List<NetTrainer.EpochLog> e = a.epochs();
        // PyTorch trains the same module with the same recipe on the first 256 digits (weight decay on
        // weights only, batch 32, lr 0.05, momentum 0.9) to a third-epoch mean loss of 2.235 and 2.240 for two
        // shuffling seeds (2.308, 2.261 before); the engine's subset and order differ, its loss must land there too.
        assertEquals(2.238, e.get(2).loss(), 0.04, "loss " + e);
        assertTrue(e.get(2).loss() < e.get(1).loss() && e.get(1).loss() < e.get(0).loss(), "loss " + e);
        assertEquals(dir.resolve("a/model/model.pt"), a.model());
        // one epoch, then three in the same folder: resumed from the module saved after epoch 1 (buffers included)
        TrainRun.run(spec(1), train, test, new TrainRun.Sources("t", "t"), dir.resolve("b"), (x, d, t, l, i) -> { });
        TrainRun.Result b = TrainRun.run(spec(3), train, test, new TrainRun.Sources("t", "t"), dir.resolve("b"), (x, d, t, l, i) -> { });
        assertEquals(1, b.resumedEpochs());
        assertEquals(e.get(2).loss(), b.epochs().get(2).loss());
        float[] la = logits(a.model()), lb = logits(b.model());
        assertArrayEquals(la, lb, "a resumed module equals an uninterrupted one in inference mode (running statistics included)");
        assertFalse(java.util.Arrays.equals(la, logits(a.init())), "training changed the module");
        assertFalse(Files.exists(dir.resolve("a/checkpoint-2.pt")), "older module checkpoints are removed");
        try (Model m = Models.load(a.model())) {
            assertTrue(m.layerNames().contains("features"), "hidden layers of the trained module: " + m.layerNames());
        }
    }

    @Test
    void badModulesAreOneLine(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pt"), "not a module");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchModule.load(text, new int[]{1, 28, 28}, 10, "--arch"));
        assertTrue(e.getMessage().startsWith("--arch must be a TorchScript module saved with torch.jit.save, found "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TorchModule.load(badOutput, new int[]{1, 28, 28}, 10, "--arch"));
        assertTrue(e.getMessage().startsWith("--arch must map [B, 1, 28, 28] images to [B, K] logits with K >= 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TorchModule.load(module, new int[]{1, 28, 28}, 12, "--arch"));
        assertTrue(e.getMessage().contains("found output shape [2, 10]"), e.getMessage());
    }

    private static float[] logits(Path pt) throws IOException {
        try (Model m = Models.load(pt)) {
            return m.forward(Probes.first(test, 8).images()).data();
        }
    }
}
