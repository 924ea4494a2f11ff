package org.diffeo4j.train.study;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study over a PyTorch architecture ({"name", "path"} in architectures, issue 20 item 7) beside a
 * built-in one: each seed trains the module from the file, cells name it, hidden layers are measured.
 */
class ModuleStudyTest {
    private static String study(Path module, String arch) {
        Path mnist = SharedFiles.root().resolve("data/mnist");
        return """
                {"name": "module-study",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", %s], "train_sizes": [64], "seeds": [0, 1],
                 "training": {"epochs": 1, "batch": 32},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0], "layers": true}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz"), arch);
    }

    @Test
    void aModuleIsTrainedPerSeedFromItsFile(@TempDir Path dir) throws Exception {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path module = Files.copy(Path.of(ModuleStudyTest.class.getResource("/torch/small_bn.pt").toURI()), dir.resolve("small_bn.pt"));
        Path file = Files.writeString(dir.resolve("s.json"), study(module, "{\"name\": \"smallbn\", \"path\": \"small_bn.pt\"}"));
        StudyFile s = StudyFile.read(file);
        assertEquals(4, s.units().size());
        assertEquals(List.of("fc", "fc", "smallbn", "smallbn"), s.units().stream().map(StudyFile.Unit::name).toList());
        Path out = dir.resolve("out");
        StudyRunner runner = new StudyRunner(s, out, 1, note -> { });
        runner.run(new StudyRunner.Listener() {
            @Override
            public void cell(int index, int total, String what) {
            }

            @Override
            public void batch(int epoch, long imagesDone, long imagesTotal, double loss, double imagesPerSecond) {
            }
        });
        List<Cell> cells = Cell.cells(Cell.journal(runner.cellsFile()));
        List<Cell> mine = cells.stream().filter(c -> c.arch().equals("smallbn")).toList();
        assertEquals(2, mine.size());
        for (Cell c : mine) {
            assertTrue(c.model().endsWith("model.pt"), c.model());
            assertTrue(c.layers().containsKey("features"), "hidden layers of the module: " + c.layers().keySet());
            assertTrue(c.fit() != null && c.fit().epochsRun() == 1);
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(out.resolve("runs/mnist/smallbn-P64-s0/init/model.pt")),
                Files.readAllBytes(module)), "each seed starts from the file's weights");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(out.resolve("runs/mnist/smallbn-P64-s1/init/model.pt")),
                Files.readAllBytes(module)), "each seed starts from the file's weights");
        assertTrue(Files.readString(out.resolve("runs/mnist/smallbn-P64-s1/train.json")).contains("\"module_sha256\""));
        runner.summarise();
    }

    @Test
    void badModuleEntriesAreOneLine(@TempDir Path dir) throws Exception {
        Path module = Files.copy(Path.of(ModuleStudyTest.class.getResource("/torch/small_bn.pt").toURI()), dir.resolve("small_bn.pt"));
        for (String[] c : new String[][]{
                {"{\"name\": \"m\", \"paths\": [\"small_bn.pt\", \"small_bn.pt\", \"small_bn.pt\"]}", "architectures[].paths must hold one file per seed (2), found 3"},
                {"{\"name\": \"m\", \"path\": \"missing.pt\"}", "architectures[].path must be a TorchScript file, found no file at"},
                {"{\"name\": \"m\"}", "architectures[] must give a TorchScript file as path or one per seed as paths, found neither"},
                {"{\"name\": \"a/b\", \"path\": \"small_bn.pt\"}", "architectures[].name must be letters, digits"},
                {"{\"name\": \"fc\", \"path\": \"small_bn.pt\"}", "architectures must not repeat a value"}}) {
            Path file = Files.writeString(dir.resolve("bad.json"), study(module, c[0]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyFile.read(file));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        Path per = Files.writeString(dir.resolve("per.json"), study(module, "{\"name\": \"m\", \"paths\": [\"small_bn.pt\", \"small_bn.pt\"]}"));
        assertEquals(2, StudyFile.read(per).modules().get(0).paths().size());
    }
}
