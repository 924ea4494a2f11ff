package org.diffeo4j.train.study;

import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.train.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study file: the issue's example parses, relative paths resolve against its folder, bad files are one clear line. */
class StudyFileTest {
    static final String GOOD = """
            {"name": "mnist-small",
             "datasets": [{"name": "mnist", "train": "../shared/data/mnist/train-images-idx3-ubyte.gz",
                           "test": "../shared/data/mnist/t10k-images-idx3-ubyte.gz"}],
             "architectures": ["fc", "lenet", "resnet"],
             "train_sizes": [256, 1024, 4096], "seeds": [0, 1],
             "training": {"epochs": 10, "batch": 64, "optimizer": "adam", "lr": 0.001},
             "measure": {"probes": 500, "cuts": [3], "deltas": [1.0], "interp": "bilinear",
                         "average": "median", "realisations": 1, "layers": false}}
            """;

    /** training.per_arch: one architecture's options over the study's, the others untouched; names and values checked. */
    @Test
    void perArchitectureTrainingOverridesTheStudys(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.json");
        Files.writeString(f, GOOD.replace("\"lr\": 0.001}", "\"lr\": 0.001, \"per_arch\": {\"lenet\": {\"epochs\": 60, \"lr\": 0.01}}}"));
        StudyFile s = StudyFile.read(f);
        assertEquals(60, s.training().of("lenet").epochs());
        assertEquals(0.01, s.training().of("lenet").lr());
        assertEquals(64, s.training().of("lenet").batch(), "what the entry does not give comes from the study");
        assertEquals(10, s.training().of("fc").epochs());
        assertEquals(0.001, s.training().of("resnet").lr());
        bad(dir, GOOD.replace("\"lr\": 0.001}", "\"lr\": 0.001, \"per_arch\": {\"vgg\": {\"epochs\": 60}}}"),
                "training.per_arch must name architectures of the study [fc, lenet, resnet]", "'vgg'");
        bad(dir, GOOD.replace("\"lr\": 0.001}", "\"lr\": 0.001, \"per_arch\": {\"fc\": {\"momentum\": -1}}}"),
                "training.per_arch.fc.momentum must be a finite number >= 0", "-1.0");
        bad(dir, GOOD.replace("\"lr\": 0.001}", "\"lr\": 0.001, \"per_arch\": {\"fc\": {\"recipe\": \"paper\"}}}"),
                "training.per_arch.fc must have only the keys", "'recipe'");
    }

    @Test
    void theIssuesExampleParses(@TempDir Path dir) throws IOException {
        StudyFile s = read(dir, GOOD);
        assertEquals(List.of(Arch.FC, Arch.LENET, Arch.RESNET), s.architectures());
        assertEquals(List.of(256, 1024, 4096), s.trainSizes());
        assertEquals(List.of(0L, 1L), s.seeds());
        assertEquals(dir.resolve("../shared/data/mnist/train-images-idx3-ubyte.gz").normalize(), s.datasets().get(0).train());
        assertEquals(10, s.training().epochs());
        assertEquals(500, s.measure().probes());
        assertFalse(s.measuresModels());
    }

    @Test
    void theShippedStudiesParseAndPointAtTheSharedData() {
        Path studies = Path.of(System.getProperty("user.dir")).resolve("../studies").normalize();
        for (String name : List.of("mnist-small.json", "paper-mnist-fashion.json", "fig12-augment.json")) {
            StudyFile s = StudyFile.read(studies.resolve(name));
            for (StudyFile.Dataset d : s.datasets()) {
                org.diffeo4j.Preconditions.require(Files.isDirectory(d.test().getParent()), "../shared/data not beside the checkout");
                assertTrue(Files.isRegularFile(d.train()) && Files.isRegularFile(d.test()), d.toString());
            }
        }
        StudyFile paper = StudyFile.read(studies.resolve("paper-mnist-fashion.json"));
        assertEquals(6, paper.architectures().size());
        assertEquals(4, paper.seeds().size());
        assertEquals(60000, (int) paper.trainSizes(paper.datasets().get(1)).get(9));
        assertEquals(8000, (int) paper.trainSizes(paper.datasets().get(0)).get(6));
    }

    @Test
    void aListOfModelsParses(@TempDir Path dir) throws IOException {
        StudyFile s = read(dir, """
                {"name": "zoo", "datasets": [{"name": "mnist", "test": "t10k-images-idx3-ubyte.gz"}],
                 "models": [{"name": "lenet", "path": "nets/lenet.onnx"}], "measure": {"probes": 100}}""");
        assertTrue(s.measuresModels());
        assertEquals(dir.resolve("nets/lenet.onnx"), s.models().get(0).path());
        assertEquals(List.of(0L), s.seeds());
    }

    @Test
    void badFilesAreOneClearLine(@TempDir Path dir) throws IOException {
        bad(dir, GOOD.replace("\"seeds\"", "\"seed\""), "study must have only the keys", "found unknown key 'seed'");
        bad(dir, GOOD.replace("\"epochs\": 10", "\"epochs\": 10, \"nesterov\": true"), "training must have only the keys", "'nesterov'");
        bad(dir, GOOD.replace("\"probes\": 500", "\"probes\": 500, \"cut\": 3"), "measure must have only the keys", "'cut'");
        bad(dir, GOOD.replace("\"resnet\"", "\"resnet500\""), "arch must be one of", "found 'resnet500'");
        bad(dir, GOOD.replace("[256, 1024, 4096]", "[256, 0]"), "train_sizes[] must be an integer >= 1", "found 0");
        bad(dir, GOOD.replace("[256, 1024, 4096]", "[256, 256]"), "must not repeat a value", "");
        bad(dir, GOOD.replace("\"adam\"", "\"rmsprop\""), "training.optimizer must be adam or sgd", "'rmsprop'");
        bad(dir, GOOD.replace("\"epochs\": 10", "\"epochs\": 10, \"recipe\": \"authors\""), "training.recipe must be one of [paper, none]", "'authors'");
        bad(dir, GOOD.replace("\"epochs\": 10", "\"epochs\": 10, \"weight_decay\": -1"), "training.weight_decay must be a finite number >= 0", "-1.0");
        bad(dir, GOOD.replace("\"epochs\": 10", "\"epochs\": 10, \"schedule\": \"cosine:0\""), "training.schedule must be constant, cosine", "cosine:0");
        bad(dir, GOOD.replace("\"bilinear\"", "\"cubic\""), "measure.", "cubic");
        bad(dir, GOOD.replace("\"epochs\": 10", "\"epochs\": \"ten\""), "epochs must be a number", "\"ten\"");
        bad(dir, GOOD.replace("\"architectures\"", "\"models\": [{\"name\": \"a\", \"path\": \"a.onnx\"}], \"architectures\""),
                "models must not be combined with architectures", "");
        bad(dir, "{\"name\": ", "study must be a JSON object", "");
        bad(dir, GOOD.replace("\"seeds\"", "\"augmentations\": [\"none\", \"elastic\"], \"seeds\""), "augmentations[]: augment must be none or parts",
                "'elastic'");
        bad(dir, GOOD.replace("\"seeds\"", "\"augmentations\": [\"flip\", \"flip:p=0.5\"], \"seeds\""), "augmentations must list at least one",
                "none repeated");
        bad(dir, GOOD.replace("\"seeds\"", "\"augmentations\": [], \"seeds\""), "augmentations must list at least one", "");
        bad(dir, GOOD.replace("\"train\": ", "\"augmentations\": [\"shift:pixels=0\"], \"train\": "),
                "datasets[].augmentations[]: shift pixels must be >= 1", "found 0");
        bad(dir, "{\"name\": \"x\"}", "datasets must be given", "");
    }

    @Test
    void withoutAugmentationsTheUnitsAndKeysAreThoseOfEarlierStudies(@TempDir Path dir) throws IOException {
        StudyFile s = read(dir, GOOD);
        assertEquals(List.of(Augmentation.NONE), s.augmentations());
        StudyFile.Unit u = s.units().get(0);
        assertEquals(Augmentation.NONE, u.augmentation());
        assertEquals(List.of("mnist|fc|256|0|3|d1.0"), s.keys(u), "the key format of studies before augmentations");
        assertEquals(18, s.units().size());
    }

    @Test
    void augmentationsAreAnAxisJustOutsideTheSeeds(@TempDir Path dir) throws IOException {
        StudyFile s = read(dir, GOOD.replace("\"seeds\"", "\"augmentations\": [\"none\", \"diffeo\", \"shift:pixels=2+flip\"], \"seeds\""));
        List<StudyFile.Unit> units = s.units();
        assertEquals(54, units.size());
        // fc, P = 256: (none s0, none s1, diffeo s0, diffeo s1, shift s0, shift s1), then P = 1024
        List<String> first = units.subList(0, 7).stream().map(u -> u.trainSize() + " " + u.augment() + " " + u.seed()).toList();
        assertEquals(List.of("256 none 0", "256 none 1", "256 diffeo 0", "256 diffeo 1", "256 shift:pixels=2+flip 0", "256 shift:pixels=2+flip 1",
                "1024 none 0"), first);
        assertEquals(List.of("mnist|fc|256|0|3|d1.0"), s.keys(units.get(0)), "none keeps the old key");
        assertEquals(List.of("mnist|fc|256|1|3|d1.0|aug diffeo"), s.keys(units.get(3)));
        assertEquals(List.of("mnist|fc|256|0|3|d1.0|aug shift:pixels=2+flip"), s.keys(units.get(4)));
    }

    @Test
    void aDatasetMayHaveItsOwnAugmentations(@TempDir Path dir) throws IOException {
        StudyFile s = read(dir, GOOD.replace("\"train\": ", "\"augmentations\": [\"diffeo\", \"flip\"], \"train\": "));
        assertEquals(List.of(Augmentation.parse("diffeo"), Augmentation.parse("flip")), s.augmentations(s.datasets().get(0)));
        assertEquals(List.of(Augmentation.NONE), s.augmentations(), "the study's default, not used by this dataset");
        assertEquals(36, s.units().size());
        assertEquals("diffeo", s.units().get(0).augment());
    }

    private static void bad(Path dir, String json, String start, String contains) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(dir, json));
        String m = e.getMessage();
        assertTrue(m.contains(start) && m.contains(contains) && !m.contains("\n"), m);
    }

    private static StudyFile read(Path dir, String json) throws IOException {
        Path f = dir.resolve("study.json");
        Files.writeString(f, json);
        return StudyFile.read(f);
    }
}
