package org.diffeo4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, items 1 and 2, through the command line: two studies, or two trainings, into one --out a few
 * seconds apart (the second refuses, naming the holder; the first finishes with one line per key); a
 * study folder refuses another study naming the first difference, and --extend adds only new cells.
 */
class RunStoreCommandsTest {
    @TempDir
    static Path dir;
    static Path mnist;

    @BeforeAll
    static void engine() {
        if (!TorchRuntime.started()) {
            TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        }
        mnist = SharedFiles.root().resolve("data/mnist");
    }

    /** A tiny study (as StudyCommandTest's): {@code archs} x P 64 x {@code seeds}, {@code epochs} epochs of 32-image batches, 40 probes. */
    static Path study(String name, String archs, String seeds, int epochs) throws IOException {
        return study(name, archs, seeds, epochs, 64);
    }

    static Path study(String name, String archs, String seeds, int epochs, int size) throws IOException {
        return Files.writeString(dir.resolve(name + "-" + Math.abs((archs + seeds + epochs + size).hashCode()) + ".json"), """
                {"name": "%s",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": [%s], "train_sizes": [%d], "seeds": [%s],
                 "training": {"epochs": %d, "batch": 32, "optimizer": "adam", "lr": 0.002},
                 "measure": {"probes": 40, "cuts": [3], "deltas": [1.0], "backend": "java"}}
                """.formatted(name, mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz"), archs, size, seeds,
                epochs));
    }

    /** Waits until {@code p} holds {@code out}'s lock: its manifest says a running run of {@code command}. */
    private static void awaitHolder(Process p, Path out, String command, Path logs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (p.isAlive() && System.nanoTime() < deadline) {
            RunFolder.Manifest m = RunFolder.manifest(out);
            if (m != null && m.state().equals("running") && m.command().equals(command)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first run did not claim " + out + ": " + Files.readString(logs.resolve("err.txt")));
    }

    @Test
    void twoStudiesIntoOneOutTheSecondRefusesNamingTheHolder() throws Exception {
        // units of a few seconds each, so that the first study is still training when the second starts
        Path file = study("busy", "\"fc\", \"lenet\"", "3, 4", 8, 1024), out = dir.resolve("busy-study");
        Path logs = Files.createDirectories(dir.resolve("logs-study")), tmp = Files.createDirectories(dir.resolve("tmp-study"));
        Process first = ChildCli.start(logs, tmp, "study", file.toString(), "--out", out.toString(), "--threads", "1");
        try {
            awaitHolder(first, out, "study", logs);
            Thread.sleep(1000); // a few seconds apart (with the JVMs' starts), into the first one's training
            CliTest.Run second = run("study", file.toString(), "--out", out.toString(), "--threads", "1");
            assertInputError(second, "--out must not be in use by another run, found " + out + " locked by diffeo study (process " + first.pid()
                    + ", started ");
            assertEquals(1, second.err().lines().count(), "one line: " + second.err());
            assertTrue(first.waitFor(5, TimeUnit.MINUTES), "the first study finishes");
            assertEquals(0, first.exitValue(), Files.readString(logs.resolve("err.txt")));
        } finally {
            first.destroyForcibly().waitFor();
        }
        assertEquals(4, keys(out.resolve("cells.jsonl")).size(), "exactly one line per key: 2 architectures x 2 seeds");
        assertEquals("complete", RunFolder.manifest(out).state());
        try (var runs = Files.list(out.resolve("runs/mnist"))) {
            assertEquals(4, runs.count(), "each unit trained once, in its own folder");
        }
    }

    @Test
    void twoTrainingsIntoOneOutTheSecondRefusesNamingTheHolder() throws Exception {
        Path out = dir.resolve("busy-train");
        Path logs = Files.createDirectories(dir.resolve("logs-train")), tmp = Files.createDirectories(dir.resolve("tmp-train"));
        String[] args = {"train", "--arch", "lenet", "--data", mnist.resolve("train-images-idx3-ubyte.gz").toString(), "--test",
                mnist.resolve("t10k-images-idx3-ubyte.gz").toString(), "--train-size", "4096", "--epochs", "12", "--threads", "1",
                "--out", out.toString()};
        Process first = ChildCli.start(logs, tmp, args);
        try {
            awaitHolder(first, out, "train", logs);
            Thread.sleep(1000);
            List<String> other = new ArrayList<>(List.of(args));
            other.set(other.indexOf("12"), "14"); // a second training with other epochs would have mixed its weights into the first's
            CliTest.Run second = run(other.toArray(String[]::new));
            assertInputError(second, "--out must not be in use by another run, found " + out + " locked by diffeo train (process " + first.pid()
                    + ", started ");
            assertTrue(first.waitFor(5, TimeUnit.MINUTES), "the first training finishes");
            assertEquals(0, first.exitValue(), Files.readString(logs.resolve("err.txt")));
        } finally {
            first.destroyForcibly().waitFor();
        }
        JsonObject train = JsonParser.parseString(Files.readString(out.resolve("train.json"))).getAsJsonObject();
        assertEquals(12, train.getAsJsonArray("epochs").size(), "one record per epoch, all of the first run");
        assertEquals(12, train.getAsJsonObject("hyper_parameters").get("epochs").getAsInt());
        JsonObject p = train.getAsJsonObject("provenance");
        assertEquals("train", p.get("command").getAsString());
        assertEquals(64, p.getAsJsonObject("inputs").getAsJsonObject("train").get("sha256").getAsString().length());
        assertTrue(java.time.Instant.parse(p.get("started").getAsString()).isBefore(java.time.Instant.parse(p.get("finished").getAsString())));
        assertEquals("complete", RunFolder.manifest(out).state());
    }

    @Test
    void aStudyFolderRefusesAnotherStudyNamingTheFirstDifferenceAndExtendAddsOnlyNewCells() throws IOException {
        Path out = dir.resolve("owned");
        Path a = study("a", "\"fc\"", "3", 1);
        CliTest.Run first = run("study", a.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, first.code(), first.err());
        String cells = Files.readString(out.resolve("cells.jsonl")), summary = Files.readString(out.resolve("summary.json"));

        // Other training settings: refused, naming the first difference; nothing changes.
        CliTest.Run epochs = run("study", study("a", "\"fc\"", "3", 2).toString(), "--out", out.toString(), "--threads", "1");
        assertInputError(epochs, "error: --out " + out + " holds study \"a\" with training.epochs = 1; this study has training.epochs = 2 "
                + "(choose another --out for other settings)");
        assertEquals(1, epochs.err().lines().count(), epochs.err());
        // Another study file (another name, the same grid): refused too.
        assertInputError(run("study", study("b", "\"fc\"", "3", 1).toString(), "--out", out.toString()),
                "holds study \"a\" with name = a; this study has name = b");
        // More seeds: refused without --extend, which it names.
        Path more = study("a", "\"fc\"", "3, 4", 1);
        assertInputError(run("study", more.toString(), "--out", out.toString()), "holds study \"a\" with seeds = [3]; this study has seeds = [3,4] "
                + "(use --extend to add cells)");
        // --extend with other settings for the cells both have: refused (they would be averaged together).
        assertInputError(run("study", study("a", "\"fc\"", "3, 4", 2).toString(), "--out", out.toString(), "--extend"),
                "holds study \"a\" with training[mnist/fc].epochs = 1; this study has training[mnist/fc].epochs = 2");
        assertEquals(cells, Files.readString(out.resolve("cells.jsonl")), "refused runs change nothing");
        assertEquals(summary, Files.readString(out.resolve("summary.json")));

        // --extend with a new seed: only the new seed's cell is computed and added.
        CliTest.Run extended = run("study", more.toString(), "--out", out.toString(), "--extend", "--threads", "1");
        assertEquals(0, extended.code(), extended.err());
        assertTrue(extended.err().contains("1 unit(s) computed"), extended.err());
        List<String> lines = Files.readAllLines(out.resolve("cells.jsonl"));
        assertEquals(2, lines.size());
        assertEquals(cells, lines.get(0) + "\n", "the folder's cell is kept as it was");
        assertTrue(lines.get(1).contains("\"seed\":4"), lines.get(1));
        JsonObject entry = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject().getAsJsonArray("entries")
                .get(0).getAsJsonObject();
        assertEquals(2, entry.get("seeds").getAsInt(), "the entry averages the two seeds of equal settings");
        // The folder now holds the union: the extended study resumes without --extend, the first one is refused (seeds differ).
        CliTest.Run again = run("study", more.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 unit(s) computed"), again.err());
        assertInputError(run("study", a.toString(), "--out", out.toString()), "with seeds = [3,4]; this study has seeds = [3]");
        // Another command into a study folder is refused: the study's files are kept.
        assertInputError(run("phase", "--size", "8", "--cuts", "2", "--temperatures", "1e-3", "--samples", "4", "--out", out.toString()),
                "--out must be a new folder or one holding this phase run, found " + out + " holding a diffeo study run");
        assertEquals(2, Files.readAllLines(out.resolve("cells.jsonl")).size());
    }

    private static Set<String> keys(Path cells) throws IOException {
        Set<String> keys = new HashSet<>();
        List<String> lines = Files.readAllLines(cells);
        for (String l : lines) {
            assertTrue(keys.add(JsonParser.parseString(l).getAsJsonObject().get("key").getAsString()), "key written twice: " + l);
        }
        return keys;
    }
}
