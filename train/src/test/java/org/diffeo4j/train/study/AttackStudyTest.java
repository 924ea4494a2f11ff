package org.diffeo4j.train.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackMethod;
import org.diffeo4j.attack.AttackRun;
import org.diffeo4j.attack.AttackSpec;
import org.diffeo4j.attack.Target;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.stability.Average;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code measure.attack} and the adversarial augmentation axis (issue 22, item 2): a study trains a net with
 * {@code adversarial-diffeo} beside one without, and records for each trained net D_f* and R_f* = D_f* / G_f
 * equal to {@code diffeo attack}'s on the cell's model, probes and seed; the summary carries them with
 * intervals over seeds.
 */
class AttackStudyTest {
    @Test
    void cellsCarryTheWorstCaseAsAttackComputesIt(@TempDir Path dir) throws Exception {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        Path file = dir.resolve("adv.json");
        Files.writeString(file, """
                {"name": "tiny-adversarial",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["lenet"], "train_sizes": [64], "seeds": [2, 3],
                 "augmentations": ["none", "adversarial-diffeo:steps=2"],
                 "training": {"epochs": 1, "batch": 32},
                 "measure": {"probes": 12, "cuts": [3], "deltas": [1.0], "attack": {"restarts": 1, "steps": 3, "target": "margin"}}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz")));
        StudyFile study = StudyFile.read(file);
        assertEquals(new StudyFile.Attack(1, 3, Target.MARGIN), study.measure().attack());
        Path out = dir.resolve("out");
        StudyRunner runner = new StudyRunner(study, out, 1, note -> { });
        assertEquals(4, runner.run(new StudyRunner.Listener() {
            @Override
            public void cell(int index, int total, String what) {
            }

            @Override
            public void batch(int epoch, long imagesDone, long imagesTotal, double loss, double imagesPerSecond) {
            }
        }));
        List<Cell> cells = Cell.cells(Cell.journal(runner.cellsFile()));
        assertEquals(4, cells.size());
        // the study record names the worst case (cells with and without it are not averaged together)
        String record = Files.readString(out.resolve(StudyRecord.FILE));
        assertTrue(record.contains("\"measure.attack\"") && record.contains("restarts 1, steps 3, target margin"), record);
        assertTrue(cells.stream().allMatch(c -> c.trained().hasWorst() && !c.init().hasWorst()), "the trained nets' worst cases only");
        Cell adv = cells.stream().filter(c -> c.augment().equals("adversarial-diffeo:steps=2")).findFirst().orElseThrow();

        LabeledImages probes = Probes.first(Datasets.load(mnist.resolve("t10k-images-idx3-ubyte.gz")), 12);
        int[] index = java.util.stream.IntStream.range(0, 12).toArray();
        AttackSpec spec = new AttackSpec(List.of(3), List.of(1.0), List.of(), Target.MARGIN, AttackMethod.GRADIENT, 1, 3, adv.seed(), Average.MEDIAN);
        try (Model m = Models.load(out.resolve(adv.model())); AttackRun run = new AttackRun(m, 1)) {
            AttackCell direct = run.run(probes.images(), probes.labels(), index, spec, (d, t) -> { }, AttackRun.CellStore.NONE).get(0);
            assertEquals(direct.dWorst(), adv.trained().dStar(), 1e-12, "D_f* as diffeo attack gives it");
            assertEquals(direct.rWorst(), adv.trained().rStar(), 1e-12, "R_f* = D_f* / G_f");
            assertEquals(direct.typical().d().logmean(), adv.trained().d(), 1e-4 * adv.trained().d(), "the same draws: D_f");
        }
        JsonObject line = JsonParser.parseString(Files.readAllLines(runner.cellsFile()).get(0)).getAsJsonObject();
        assertTrue(line.getAsJsonObject("trained").has("R_star") && line.getAsJsonObject("trained").has("D_star"));
        for (String l : Files.readAllLines(runner.cellsFile())) {
            Cell c = Cell.of(JsonParser.parseString(l).getAsJsonObject());
            assertTrue(cells.contains(c), "read back as written");
        }

        StudySummary s = runner.summarise();
        assertEquals(2, s.entries().size(), "one entry per augmentation");
        assertTrue(s.entries().stream().allMatch(e -> e.trained().rStar().hasInterval()), "R_f* with its interval over the two seeds");
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"R_star_trained\"") && summary.contains("\"R_star_trained_ci95\""), summary);
    }

    @Test
    void withoutTheKeyNoWorstCaseAndBadKeysAreNamed(@TempDir Path dir) throws Exception {
        Cell.DGR plain = new Cell.DGR(0.1, 0.2, 0.5);
        assertFalse(plain.hasWorst());
        assertFalse(plain.json().has("R_star"));
        assertEquals(plain, Cell.DGR.of(plain.json()));
        Cell.DGR worst = plain.withWorst(0.8, 4.0);
        assertEquals(worst, Cell.DGR.of(worst.json()));
        Path mnist = SharedFiles.root().resolve("data/mnist");
        String base = """
                {"name": "t", "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}], "architectures": ["lenet"],
                 "train_sizes": [64], "seeds": [0], "measure": %%s}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz"));
        assertNull(read(dir, base.formatted("{}")).measure().attack());
        assertNull(read(dir, base.formatted("{\"attack\": false}")).measure().attack());
        assertEquals(new StudyFile.Attack(1, 10, Target.DISTANCE), read(dir, base.formatted("{\"attack\": true}")).measure().attack());
        assertEquals("measure.attack must have only the keys [restarts, steps, target], found unknown key 'method'",
                assertThrows(IllegalArgumentException.class, () -> read(dir, base.formatted("{\"attack\": {\"method\": \"gradient\"}}"))).getMessage());
        assertEquals("measure.attack.target must be distance or margin, found 'loss'",
                assertThrows(IllegalArgumentException.class, () -> read(dir, base.formatted("{\"attack\": {\"target\": \"loss\"}}"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(dir, base.formatted("{\"attack\": {\"steps\": 0}}"))).getMessage()
                .startsWith("measure.attack.steps must be an integer >= 1"));
    }

    /** The shipped study files of docs/attack.md: the full comparison and the version that was run, the same protocol. */
    @Test
    void shippedAdversarialStudiesCompareTheThreeAugmentations() throws Exception {
        Path studies = Path.of("").toAbsolutePath().resolve("../studies");
        StudyFile full = StudyFile.read(studies.resolve("adversarial-mnist.json"));
        StudyFile run = StudyFile.read(studies.resolve("adversarial-mnist-lenet-long.json"));
        StudyFile first = StudyFile.read(studies.resolve("adversarial-mnist-lenet.json"));
        for (StudyFile s : List.of(full, run, first)) {
            assertEquals(List.of("none", "diffeo", "adversarial-diffeo"), s.augmentations().stream().map(a -> a.label()).toList());
            assertEquals(new StudyFile.Attack(1, 10, Target.DISTANCE), s.measure().attack());
            assertTrue(s.measure().spectral());
        }
        assertEquals(54, full.units().size(), "3 archs x 2 P x 3 augmentations x 3 seeds");
        assertEquals(9, run.units().size(), "lenet x P 1024 x 3 augmentations x 3 seeds");
        assertEquals(9, first.units().size());
        assertEquals(full.measure(), run.measure());
        assertEquals(full.training(), run.training(), "the full study trains as the run that converged");
        assertEquals(full.measure(), first.measure());
    }

    private static StudyFile read(Path dir, String json) throws java.io.IOException {
        Path f = Files.writeString(dir.resolve("s.json"), json);
        return StudyFile.read(f);
    }
}
