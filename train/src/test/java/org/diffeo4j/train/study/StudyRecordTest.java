package org.diffeo4j.train.study;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.train.Arch;
import org.diffeo4j.train.PaperRecipe;
import org.diffeo4j.validate.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study's identity (issue 21 item 2): what it records, the first difference it names, what --extend accepts, and folders of studies before it. */
class StudyRecordTest {
    @TempDir
    Path dir;

    static final String TRAIN = "%TRAIN%", BASE = """
            {"name": "r", "datasets": [{"name": "mnist", "train": "train.gz", "test": "test.gz"}],
             "architectures": [%ARCHS%], "train_sizes": [64, 128], "seeds": [%SEEDS%],
             "training": {"epochs": 3, "batch": 32%TRAIN%},
             "measure": {"probes": 30, "cuts": [3], "deltas": [1.0]}}
            """;

    static StudyFile study(String archs, String seeds, String training) {
        return StudyFile.parse(BASE.replace("%ARCHS%", archs).replace("%SEEDS%", seeds).replace(TRAIN, training), (k, t) -> Path.of(t), "s.json");
    }

    /** The record with every file hashed to its name (the data are not read). */
    static StudyRecord record(StudyFile s) {
        return StudyRecord.of(s, p -> "hash of " + p, (d, arch) -> s.training().of(arch).resolve(Arch.parse(arch), null, 1, 0, PaperRecipe.Data.OTHER,
                Augmentation.NONE, "training."));
    }

    @Test
    void theFirstDifferenceIsNamedWithAHintThatFitsIt() {
        StudyRecord folder = record(study("\"fc\"", "0", ""));
        assertNull(record(study("\"fc\"", "0", "")).refusal(folder, dir, false), "the same study resumes");
        assertEquals("out " + dir + " holds study \"r\" with training.lr = null; this study has training.lr = 0.01 (choose another --out for other settings)",
                record(study("\"fc\"", "0", ", \"lr\": 0.01")).refusal(folder, dir, false));
        assertEquals("out " + dir + " holds study \"r\" with seeds = [0]; this study has seeds = [0,1] (use --extend to add cells)",
                record(study("\"fc\"", "0, 1", "")).refusal(folder, dir, false));
        // the cuts and strengths are recorded too (study-key.txt left them out)
        StudyFile cuts = StudyFile.parse(BASE.replace("%ARCHS%", "\"fc\"").replace("%SEEDS%", "0").replace(TRAIN, "").replace("[3]", "[3, 5]"),
                (k, t) -> Path.of(t), "s.json");
        assertTrue(record(cuts).refusal(folder, dir, false).contains("with measure.cuts = [3]; this study has measure.cuts = [3,5]"));
        // the data by content, not path: the same files elsewhere are the same study
        StudyFile elsewhere = StudyFile.parse(BASE.replace("%ARCHS%", "\"fc\"").replace("%SEEDS%", "0").replace(TRAIN, "")
                .replace("\"train.gz\"", "\"/copy/train.gz\"").replace("\"test.gz\"", "\"/copy/test.gz\""), (k, t) -> Path.of(t), "s.json");
        StudyRecord byName = StudyRecord.of(study("\"fc\"", "0", ""), p -> "h " + p.getFileName(), StudyRecordTest::training);
        assertNull(StudyRecord.of(elsewhere, p -> "h " + p.getFileName(), StudyRecordTest::training).refusal(byName, dir, false));
        assertTrue(StudyRecord.of(elsewhere, p -> "other bytes", StudyRecordTest::training).refusal(byName, dir, true)
                .contains("with datasets.mnist.train = sha256 h train.gz; this study has datasets.mnist.train = sha256 other bytes"),
                "other data under the same name are refused even with --extend");
    }

    static org.diffeo4j.train.TrainSpec training(StudyFile.Dataset d, String arch) {
        return study("\"fc\"", "0", "").training().of(arch).resolve(Arch.parse(arch), null, 1, 0, PaperRecipe.Data.OTHER, Augmentation.NONE,
                "training.");
    }

    @Test
    void extendAddsGridValuesButNeverCellsOfOtherSettings() {
        StudyRecord folder = record(study("\"fc\"", "0", ""));
        assertNull(record(study("\"fc\", \"lenet\"", "0, 1", "")).refusal(folder, dir, true), "new seeds and architectures");
        // per_arch for an architecture the folder does not have: its cells are all new
        assertNull(record(study("\"fc\", \"lenet\"", "0", ", \"per_arch\": {\"lenet\": {\"epochs\": 9}}")).refusal(folder, dir, true));
        // the same for one it has: its new cells would be averaged with the folder's
        String why = record(study("\"fc\", \"lenet\"", "0", ", \"per_arch\": {\"fc\": {\"epochs\": 9}}")).refusal(folder, dir, true);
        assertTrue(why.contains("with training[mnist/fc].epochs = 3; this study has training[mnist/fc].epochs = 9 (--extend adds only cells"), why);
        // a measurement setting applies to every cell
        StudyFile probes = StudyFile.parse(BASE.replace("%ARCHS%", "\"fc\"").replace("%SEEDS%", "0, 1").replace(TRAIN, "").replace("30", "40"),
                (k, t) -> Path.of(t), "s.json");
        assertTrue(record(probes).refusal(folder, dir, true).contains("with measure.probes = 30; this study has measure.probes = 40"));
        // the spectral control is part of every cell (G_f^spec, R_f^spec): cells with and without it are never averaged together
        StudyFile spectral = StudyFile.parse(BASE.replace("%ARCHS%", "\"fc\"").replace("%SEEDS%", "0, 1").replace(TRAIN, "")
                .replace("\"deltas\": [1.0]", "\"deltas\": [1.0], \"spectral\": true"), (k, t) -> Path.of(t), "s.json");
        assertTrue(record(spectral).refusal(folder, dir, true).contains("with measure.spectral = false; this study has measure.spectral = true"),
                record(spectral).refusal(folder, dir, true));
        // the union: the folder's grid values first, then the new ones
        StudyRecord union = folder.union(record(study("\"lenet\"", "1", "")));
        assertNull(record(study("\"fc\", \"lenet\"", "0, 1", "")).refusal(union, dir, false), "the union is the study of both grids");
    }

    @Test
    void aFolderOfAStudyBeforeTheRecordResumesWhenItsSettingsMatchAndIsAdopted() throws IOException {
        Path mnist = SharedFiles.root().resolve("data/mnist");
        Path file = Files.writeString(dir.resolve("legacy.json"), BASE.replace("%ARCHS%", "\"fc\"").replace("%SEEDS%", "0").replace(TRAIN, "")
                .replace("train.gz", mnist.resolve("train-images-idx3-ubyte.gz").toString()).replace("test.gz", mnist.resolve("t10k-images-idx3-ubyte.gz").toString()));
        StudyFile s = StudyFile.read(file);
        Path out = Files.createDirectories(dir.resolve("old"));
        StudyRunner runner = new StudyRunner(s, out, 1, n -> { });
        Files.writeString(out.resolve(StudyRecord.LEGACY_FILE), runner.legacyKey().replace("probes=30", "probes=31"));
        BadInputException e = assertThrows(BadInputException.class, runner::open);
        assertTrue(e.getMessage().startsWith("out must be empty or hold a study with the same training and measure settings"), e.getMessage());
        assertFalse(Files.exists(out.resolve(StudyRecord.FILE)), "a refused claim writes nothing");
        Files.writeString(out.resolve(StudyRecord.LEGACY_FILE), runner.legacyKey());
        try (StudyRunner r = runner.open()) {
            assertTrue(Files.isRegularFile(out.resolve(StudyRecord.FILE)), "the folder is adopted: its record is written");
        }
        assertEquals("r", StudyRecord.read(out).name());

        // study-key.txt did not record measure.spectral: a legacy folder's cells tell, and cells without the control are not
        // joined by cells with it
        Path spectralOut = Files.createDirectories(dir.resolve("old-spectral"));
        StudyFile withSpectral = StudyFile.read(Files.writeString(dir.resolve("legacy-spectral.json"), Files.readString(file)
                .replace("\"deltas\": [1.0]", "\"deltas\": [1.0], \"spectral\": true")));
        StudyRunner spectralRunner = new StudyRunner(withSpectral, spectralOut, 1, n -> { });
        Files.writeString(spectralOut.resolve(StudyRecord.LEGACY_FILE), spectralRunner.legacyKey());
        Files.writeString(spectralOut.resolve("cells.jsonl"), CellJournalTest.cell("fc", 64, 0, 2.0, 0.2).json() + "\n");
        e = assertThrows(BadInputException.class, spectralRunner::open);
        assertTrue(e.getMessage().contains("holds cells with measure.spectral = false (cell ") && e.getMessage().endsWith(
                "this study has measure.spectral = true (choose another --out for other settings)"), e.getMessage());
    }
}
