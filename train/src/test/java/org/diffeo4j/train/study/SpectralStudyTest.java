package org.diffeo4j.train.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.Probes;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.NoiseKind;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code measure.spectral}: a study records G_f^spec and R_f^spec (issue 22's control) beside G_f and R_f,
 * equal to {@code diffeo measure --noise spectral} on the cell's model with the cell's probes and seed,
 * for the output and each layer, at initialisation and trained; the summary carries them with intervals.
 */
class SpectralStudyTest {
    @Test
    void cellsCarryTheSpectralControlAsMeasureComputesIt(@TempDir Path dir) throws Exception {
        Path mnist = SharedFiles.root().resolve("data/mnist");
        Path file = dir.resolve("spec.json");
        Files.writeString(file, """
                {"name": "tiny-spectral",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["lenet"], "train_sizes": [64], "seeds": [2, 3],
                 "training": {"epochs": 1, "batch": 32},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0], "layers": true, "spectral": true}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz")));
        StudyFile study = StudyFile.read(file);
        assertTrue(study.measure().spectral());
        Path out = dir.resolve("out");
        StudyRunner runner = new StudyRunner(study, out, 1, note -> { });
        assertEquals(2, runner.run(new StudyRunner.Listener() {
            @Override
            public void cell(int index, int total, String what) {
            }

            @Override
            public void batch(int epoch, long imagesDone, long imagesTotal, double loss, double imagesPerSecond) {
            }
        }));
        List<Cell> cells = Cell.cells(Cell.journal(runner.cellsFile()));
        Cell c = cells.get(0);
        assertTrue(c.trained().hasSpectral() && c.init().hasSpectral());
        assertTrue(c.layers().values().stream().allMatch(l -> l.trained().hasSpectral() && l.init().hasSpectral()));

        StabilitySpec spec = new StabilitySpec(List.of(3), List.of(1.0), null, Interpolation.BILINEAR, Average.MEDIAN, 1, c.seed(), List.of(),
                NoiseKind.SPECTRAL);
        try (DiffeoBackend backend = Backends.open("java", 1, note -> { });
             Model m = Models.load(out.resolve(c.model()))) {
            var probes = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 20).images();
            CellResult direct = new StabilityMeasurement(m, backend).run(probes, spec, (d, n) -> { }).get(0);
            assertEquals(direct.output().r().logmean(), c.trained().rSpec(), 1e-12, "R_f^spec as measure --noise spectral gives it");
            assertEquals(direct.output().g().logmean(), c.trained().gSpec(), 1e-12);
            assertEquals(direct.output().d().logmean(), c.trained().d(), 1e-12, "the same deformations: the same D_f");
        }
        JsonObject line = JsonParser.parseString(Files.readAllLines(runner.cellsFile()).get(0)).getAsJsonObject();
        assertTrue(line.getAsJsonObject("trained").has("R_spec") && line.getAsJsonObject("trained").has("G_spec"));
        assertEquals(c, Cell.of(line), "read back as written");

        StudySummary s = runner.summarise();
        StudySummary.Entry e = s.entries().get(0);
        assertTrue(e.trained().rSpec().hasInterval(), "R_f^spec with its interval over the two seeds");
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"R_spec_trained\"") && summary.contains("\"R_spec_trained_ci95\""), summary);
    }

    @Test
    void withoutTheKeyNothingSpectralIsWritten() {
        Cell.DGR plain = new Cell.DGR(0.1, 0.2, 0.5);
        assertFalse(plain.hasSpectral());
        assertFalse(plain.json().has("R_spec"));
        assertEquals(plain, Cell.DGR.of(plain.json()));
    }
}
