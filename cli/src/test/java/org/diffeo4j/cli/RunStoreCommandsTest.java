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
            // the same refusal in a process of its own, whose exit runs the clean-up hooks: still one line (it once added
            // "interrupted: ... rerun the same command to resume" after the error)
            Path logs2 = Files.createDirectories(dir.resolve("logs-train-2"));
            Process child = ChildCli.start(logs2, tmp, other.toArray(String[]::new));
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the refused training exits");
            String childErr = Files.readString(logs2.resolve("err.txt"));
            assertEquals(2, child.exitValue(), childErr);
            assertEquals(1, childErr.lines().count(), "one line: " + childErr);
            assertTrue(childErr.startsWith("error: --out must not be in use by another run"), childErr);
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

    /**
     * Issue 21 item 5: a training whose loss becomes non-finite (--lr 1e30: epoch 1 is still finite, epoch 2 is NaN) stops
     * with one line, exit 1, keeping the checkpoint of the last good epoch; no JSON it leaves holds NaN or Infinity.
     */
    @Test
    void aTrainingWhoseLossBecomesNonFiniteStopsKeepingTheLastGoodEpoch() throws IOException {
        Path out = dir.resolve("exploding");
        CliTest.Run r = run("train", "--arch", "fc", "--data", mnist.resolve("train-images-idx3-ubyte.gz").toString(), "--test",
                mnist.resolve("t10k-images-idx3-ubyte.gz").toString(), "--train-size", "64", "--epochs", "2", "--lr", "1e30", "--threads", "1",
                "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("error: training loss became non-finite (NaN) in epoch 2 at lr 1.0E30; the checkpoint of epoch 1 is kept (lower --lr)"),
                r.err().lines().toList());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.bin")) && Files.isRegularFile(out.resolve("model/weights.bin")),
                "the last good epoch's checkpoint and model are kept");
        JsonObject train = JsonParser.parseString(Files.readString(out.resolve("train.json"))).getAsJsonObject();
        assertEquals(1, train.getAsJsonArray("epochs").size(), "the record holds the good epoch only");
        assertStrictJsonEverywhere(out);
    }

    /** Every .json and .jsonl file under {@code out} parses as strict JSON and holds neither NaN nor Infinity. */
    static void assertStrictJsonEverywhere(Path out) throws IOException {
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonl")).toList()) {
                String text = Files.readString(f);
                assertTrue(!text.contains("NaN") && !text.contains("Infinity"), f + ": " + text);
                for (String doc : f.toString().endsWith(".jsonl") ? text.split("\n") : new String[]{text}) {
                    com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(doc));
                    reader.setStrictness(com.google.gson.Strictness.STRICT);
                    JsonParser.parseReader(reader);
                }
            }
        }
    }

    /**
     * Issue 21 item 8: under umask 000 (which lets every bit through), nothing a run creates is world-writable: the
     * run store sets rw-r--r-- for files and rwxr-xr-x for folders itself. measure, stripe, deform, phase, train and a
     * study (its runs/ folders and figures/) in child JVMs.
     */
    @Test
    void underUmask000NothingARunCreatesIsWorldWritable() throws Exception {
        org.diffeo4j.Preconditions.require(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to set a child's umask");
        Path root = dir.resolve("umask"), tmp = Files.createDirectories(dir.resolve("tmp-umask"));
        String train = mnist.resolve("train-images-idx3-ubyte.gz").toString(), test = mnist.resolve("t10k-images-idx3-ubyte.gz").toString();
        List<String[]> runs = List.of(
                new String[]{"measure", "--probes", "20", "--cut", "3", "--delta", "1", "--backend", "java", "--threads", "1", "--out", root + "/measure/a"},
                new String[]{"stripe", "--train-sizes", "64,128", "--seeds", "1", "--threads", "1", "--out", root + "/stripe"},
                new String[]{"deform", "--count", "2", "--out", root + "/deform"},
                new String[]{"phase", "--size", "8", "--cuts", "2", "--temperatures", "1e-3", "--samples", "4", "--out", root + "/phase"},
                new String[]{"train", "--arch", "fc", "--data", train, "--test", test, "--train-size", "64", "--epochs", "1", "--threads", "1",
                        "--out", root + "/train/a"},
                new String[]{"study", study("umask", "\"fc\"", "3", 1).toString(), "--threads", "1", "--out", root + "/study"});
        for (String[] args : runs) {
            Path logs = Files.createDirectories(dir.resolve("logs-umask-" + args[0]));
            Process p = ChildCli.start("000", logs, tmp, args);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), args[0]);
            assertEquals(0, p.exitValue(), args[0] + ": " + Files.readString(logs.resolve("err.txt")));
        }
        List<String> open = new ArrayList<>();
        try (var all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                    open.add(root.relativize(p).toString());
                }
            }
        }
        assertEquals(List.of(), open, "files and folders others may write to (the root is \"\")");
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
