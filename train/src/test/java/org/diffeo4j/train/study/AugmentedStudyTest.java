package org.diffeo4j.train.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CI-sized Fig. 12 study: fc on 64 real MNIST digits, one epoch, with and without augmentation.
 * The cells carry their augmentation in key and JSON, the summary groups by it, the Fig. 12 panels
 * are drawn, and a rerun takes every cell from cells.jsonl.
 */
class AugmentedStudyTest {
    @Test
    void cellsKeysSummaryAndFiguresAreGroupedByAugmentation(@TempDir Path dir) throws Exception {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        Path file = dir.resolve("tiny.json");
        Files.writeString(file, """
                {"name": "tiny-augment",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc"], "train_sizes": [64], "seeds": [1],
                 "augmentations": ["none", "shift:pixels=3+flip"],
                 "training": {"epochs": 1, "batch": 32},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0]}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz")));
        StudyFile study = StudyFile.read(file);
        Path out = dir.resolve("out");
        StudyRunner runner = new StudyRunner(study, out, 1, note -> { });
        StudyRunner.Listener quiet = new StudyRunner.Listener() {
            @Override
            public void cell(int index, int total, String what) {
            }

            @Override
            public void batch(int epoch, long imagesDone, long imagesTotal, double loss, double imagesPerSecond) {
            }
        };
        assertEquals(2, runner.run(quiet));
        List<Cell> cells = Cell.cells(Cell.journal(runner.cellsFile()));
        assertEquals(List.of("mnist|fc|64|1|3|d1.0", "mnist|fc|64|1|3|d1.0|aug shift:pixels=3+flip"), cells.stream().map(Cell::key).toList());
        assertEquals(List.of("none", "shift:pixels=3+flip"), cells.stream().map(Cell::augment).toList());
        List<String> lines = Files.readAllLines(runner.cellsFile());
        JsonObject plain = JsonParser.parseString(lines.get(0)).getAsJsonObject(), aug = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertTrue(!plain.has("augment") && aug.get("augment").getAsString().equals("shift:pixels=3+flip"), "augment written only when not none");
        assertNotEquals(cells.get(0).trained().r(), cells.get(1).trained().r(), "another training gives another R_f");
        assertEquals(cells.get(0).init().r(), cells.get(1).init().r(), "the same initialisation");
        assertTrue(Files.readString(out.resolve("runs/mnist/fc-P64-s1-shift_pixels=3+flip/train.json")).contains("\"augment\": \"shift:pixels=3+flip\""));

        StudySummary s = runner.summarise();
        assertEquals(List.of("fc", "fc +shift:pixels=3+flip"), s.entries().stream().map(StudySummary.Entry::label).toList());
        assertEquals(List.of("fc", "fc +shift:pixels=3+flip"), s.fits().get(0).archs(), "each augmentation its own point of the fit");
        assertTrue(s.csv().startsWith("dataset,arch,augment,train_size,") && s.csv().contains("\nmnist,fc,shift:pixels=3+flip,64,"), s.csv());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"augment\": \"shift:pixels=3+flip\""));
        org.diffeo4j.report.FigureChecks.pngAndSvg(out.resolve("figures/augment_mnist_fc.png"), 900, 300);
        assertTrue(Files.isRegularFile(out.resolve("figures/dgr_vs_p_mnist_fc+shift_pixels=3+flip.png")));

        assertEquals(0, new StudyRunner(study, out, 1, note -> { }).run(quiet), "a rerun finds every cell");
        Map<String, Integer> n = runner.testImages();
        assertEquals(2000, n.get("mnist"));
    }
}
