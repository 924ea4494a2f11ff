package org.diffeo4j.spark;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.cli.DiffeoCli;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.train.study.StudyFile;
import org.diffeo4j.train.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Spark engine through the command line without a cluster: bad input is refused before Spark
 * starts; and the driver itself killed mid-run (SIGKILL, master local[1]) then run again finishes
 * the study (with and without diffeo augmentation) with every cell once, equal to a local run — "a
 * rerun after a driver failure resumes like a local run".
 */
class SparkEngineTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        Path study = study("[64]", dir.resolve("missing/train-images-idx3-ubyte.gz").toString());
        Path out = dir.resolve("out");
        assertInputError(cli("study", study.toString(), "--out", out.toString(), "--engine", "spark", "--shard", "1/2", "--threads", "1"), "--engine spark must not be combined");
        assertInputError(cli("study", study.toString(), "--out", out.toString(), "--engine", "spark", "--master", "local[1]", "--threads", "1"), "missing");
        Path uri = study("[64]", dir.resolve("nowhere/t10k-images-idx3-ubyte.gz").toUri().toString());
        assertInputError(cli("study", uri.toString(), "--out", out.toString(), "--engine", "spark", "--master", "local[1]", "--threads", "1"), "nowhere");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aKilledDriverResumes() throws Exception {
        Path study = study("[128, 512]", SharedFiles.root().resolve("data/mnist/train-images-idx3-ubyte.gz").toString());
        Path out = dir.resolve("spark"), cells = out.resolve("cells.jsonl");
        Process first = driver(study, out, "first.log");
        for (int i = 0; i < 3000 && !(Files.isRegularFile(cells) && Files.readAllLines(cells).size() >= 1); i++) {
            if (!first.isAlive()) {
                fail("the driver ended before its first cell: " + Files.readString(dir.resolve("first.log")));
            }
            Thread.sleep(50);
        }
        first.destroyForcibly().waitFor();
        int before = Files.readAllLines(cells).size();
        assertTrue(before >= 1 && before < 8, "killed mid-run with " + before + " of 8 cells");
        Process again = driver(study, out, "again.log");
        assertTrue(again.waitFor(5, TimeUnit.MINUTES), "rerun finished");
        String log = Files.readString(dir.resolve("again.log"));
        assertEquals(0, again.exitValue(), log);
        assertTrue(log.contains((8 - before) + " of 8 units to compute"), "the rerun computes only the missing units: " + log);

        // The local runs' thread count, whatever an earlier test of this JVM set (the results depend on it).
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        Path local = dir.resolve("local");
        SparkClusterTest.runLocally(new StudyRunner(StudyFile.read(study), local, 1, note -> { }));
        List<String> lines = Files.readAllLines(cells);
        assertEquals(8, lines.size(), "each cell once");
        assertEquals(4, lines.stream().filter(l -> l.contains("\"augment\":\"diffeo\"")).count(), "augmented units run on Spark too");
        assertEquals(new HashSet<>(Files.readAllLines(local.resolve("cells.jsonl"))), new HashSet<>(lines));
        assertEquals(Files.readString(local.resolve("summary.json")), Files.readString(out.resolve("summary.json")));
    }

    private Path study(String sizes, String train) throws IOException {
        Path f = dir.resolve("study-" + Math.abs((sizes + train).hashCode()) + ".json");
        Files.writeString(f, """
                {"name": "spark-engine",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", "lenet"], "train_sizes": %s, "seeds": [3], "augmentations": ["none", "diffeo"],
                 "training": {"epochs": 2, "batch": 32, "optimizer": "adam", "lr": 0.001},
                 "measure": {"probes": 50, "cuts": [3], "deltas": [1.0]}}
                """.formatted(train, train.replace("train-images", "t10k-images"), sizes));
        return f;
    }

    /** diffeo study … --engine spark --master local[1] in a child JVM (a kill must not take the test's JVM). */
    private Process driver(Path study, Path out, String log) throws IOException {
        return ChildJvm.start(dir.resolve(log), dir.resolve("tmp"), Map.of(), DiffeoCli.class.getName(), "study", study.toString(), "--out",
                out.toString(), "--engine", "spark", "--master", "local[1]", "--threads", "1");
    }

    private record Run(int code, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = DiffeoCli.run(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals("", out.toString(), "nothing on stdout");
        return new Run(code, err.toString());
    }

    private static void assertInputError(Run r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
    }
}
