package org.diffeo4j.cli;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs killed and interrupted for real, in child JVMs: a sweep killed with SIGKILL at random points
 * and rerun equals an uninterrupted run cell for cell with no line logged twice; SIGINT and SIGTERM
 * save the finished cells, say how to resume, leave no temporary file and exit 130 and 143.
 */
class InterruptionTest {
    /** Linux only: skipped elsewhere, saying so (failed in CI: {@link org.diffeo4j.Preconditions}). */
    @BeforeAll
    static void linux() {
        org.diffeo4j.Preconditions.require(OS.LINUX.isCurrentOs(), "sending SIGINT/SIGTERM/SIGKILL to child JVMs needs Linux, found " + System.getProperty("os.name"));
    }

    /** 9 cells of 2 realisations of 100 probes: about a second of work, long enough to kill mid-sweep. */
    static final String[] SWEEP = {"measure", "--probes", "100", "--cut", "3,5,9", "--delta", "0.5,1,2", "--realisations", "2",
            "--backend", "java", "--threads", "1", "--format", "json"};
    static final int CELLS = 9;
    /**
     * The same 9 cells with 500 probes and 6 realisations (about 15 times the work) for the tests that
     * must act while a run is still going: on an idle machine the short sweep can finish between its
     * first logged cell and the signal or the second run.
     */
    static final String[] LONG_SWEEP = {"measure", "--probes", "500", "--cut", "3,5,9", "--delta", "0.5,1,2", "--realisations", "6",
            "--backend", "java", "--threads", "1", "--format", "json"};

    @TempDir
    Path dir;

    static String[] sweep(Path out) {
        return sweep(SWEEP, out);
    }

    static String[] sweep(String[] sweep, Path out) {
        List<String> a = new ArrayList<>(List.of(sweep));
        a.add("--out");
        a.add(out.toString());
        return a.toArray(String[]::new);
    }

    static int lines(Path log) throws IOException {
        return Files.exists(log) ? (int) Files.readString(log).chars().filter(c -> c == '\n').count() : 0;
    }

    @Test
    void aSweepKilledAtRandomPointsResumesToTheSameCells() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        Process ref = ChildCli.start(Files.createDirectories(dir.resolve("logs-ref")), tmp, sweep(reference));
        assertTrue(ref.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, ref.exitValue(), Files.readString(dir.resolve("logs-ref/err.txt")));
        Random random = new Random(13);
        Path log = killed.resolve(MeasureCommand.LOG);
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            int target = Math.min(CELLS - 1, lines(log) + 1 + random.nextInt(3));
            Process p = ChildCli.start(Files.createDirectories(dir.resolve("logs-" + attempt)), tmp, sweep(killed));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.isAlive() && lines(log) < target && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(40)); // land anywhere: mid-realisation, mid-write, between cells
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL: nothing of the run's own gets to run
                kills++;
            }
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(kills >= 2, "at least two runs must have been killed mid-sweep, found " + kills);
        Process last = ChildCli.start(Files.createDirectories(dir.resolve("logs-last")), tmp, sweep(killed));
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), Files.readString(dir.resolve("logs-last/err.txt")));
        assertEquals(JsonParser.parseString(Files.readString(reference.resolve("stability.json"))).getAsJsonObject().get("results"),
                JsonParser.parseString(Files.readString(killed.resolve("stability.json"))).getAsJsonObject().get("results"),
                "the resumed sweep equals the uninterrupted one cell for cell");
        List<String> logged = Files.readAllLines(log);
        assertEquals(CELLS, logged.size(), "one line per cell");
        assertEquals(logged.size(), new HashSet<>(logged).size(), "no line logged twice");
        assertNoTemporaries(killed, tmp);
    }

    /** Item 2: a second run into a folder another process is filling refuses at once, naming that process. */
    @Test
    void aSecondRunIntoABusyFolderRefuses() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp")), out = dir.resolve("out"), logs = Files.createDirectories(dir.resolve("logs"));
        Process p = ChildCli.start(logs, tmp, sweep(LONG_SWEEP, out));
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.isAlive() && lines(out.resolve(MeasureCommand.LOG)) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(p.isAlive(), "the first run must still hold the folder");
            CliTest.Run second = CliTest.run(sweep(LONG_SWEEP, out));
            assertEquals(2, second.code(), second.err());
            assertTrue(second.err().startsWith("error: --out must not be in use by another run, found " + out
                    + " locked by diffeo measure (process " + p.pid() + ", started "), second.err());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigintSavesFinishedCellsAndExits130() throws Exception {
        interrupt("INT", 130);
    }

    @Test
    void sigtermSavesFinishedCellsAndExits143() throws Exception {
        interrupt("TERM", 143);
    }

    private void interrupt(String signal, int code) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp")), out = dir.resolve("out"), logs = Files.createDirectories(dir.resolve("logs"));
        Path log = out.resolve(MeasureCommand.LOG);
        Process p = ChildCli.start(logs, tmp, sweep(LONG_SWEEP, out));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (p.isAlive() && lines(log) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the sweep must still run when signalled");
        ChildCli.signal(p, signal);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(logs.resolve("err.txt"));
        assertEquals(code, p.exitValue(), err);
        int saved = lines(log);
        assertTrue(err.contains("interrupted: " + saved + " of " + CELLS + " cells saved in " + log + "; rerun the same command to resume"), err);
        assertFalse(err.contains("Exception"), err);
        assertNoTemporaries(out, tmp);
    }

    /** stripe, like measure, says on SIGINT what it saved and how to resume (issue 21: it printed nothing). */
    @Test
    void stripeSaysWhatItSavedOnSigint() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp")), out = dir.resolve("stripe"), logs = Files.createDirectories(dir.resolve("logs"));
        Path log = out.resolve(StripeCommand.LOG);
        Process p = ChildCli.start(logs, tmp, "stripe", "--train-sizes", "256,512,1024,2048,4096", "--seeds", "4", "--threads", "1",
                "--out", out.toString());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && lines(log) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the sweep must still run when signalled");
        ChildCli.signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(logs.resolve("err.txt"));
        assertEquals(130, p.exitValue(), err);
        assertTrue(err.contains("interrupted: " + lines(log) + " of 20 cells saved in " + log + "; rerun the same command to resume"), err);
        assertNoTemporaries(out, tmp);
    }

    /** train on SIGINT: one line saying the last finished epoch is saved and that a rerun resumes; exit 130; resuming works. */
    @Test
    void trainSaysWhatItSavedOnSigint() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-train")), out = dir.resolve("train"), logs = Files.createDirectories(dir.resolve("logs-train"));
        Path mnist = org.diffeo4j.SharedFiles.root().resolve("data/mnist");
        String[] args = {"train", "--arch", "lenet", "--data", mnist.resolve("train-images-idx3-ubyte.gz").toString(), "--test",
                mnist.resolve("t10k-images-idx3-ubyte.gz").toString(), "--train-size", "2048", "--epochs", "200", "--threads", "1",
                "--out", out.toString()};
        Process p = ChildCli.start(logs, tmp, args);
        Path checkpoint = out.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && !Files.isRegularFile(checkpoint) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "training must still run when signalled");
        ChildCli.signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(logs.resolve("err.txt"));
        assertEquals(130, p.exitValue(), err);
        assertTrue(err.contains("interrupted: the last finished epoch is saved in " + checkpoint + "; rerun the same command to resume"), err);
    }

    /** study on SIGINT: one line with the cell lines saved and that a rerun resumes; exit 130. */
    @Test
    void studySaysWhatItSavedOnSigint() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-study")), out = dir.resolve("study"), logs = Files.createDirectories(dir.resolve("logs-study"));
        Path mnist = org.diffeo4j.SharedFiles.root().resolve("data/mnist");
        Path file = Files.writeString(dir.resolve("study.json"), "{\"name\": \"stop\", \"datasets\": [{\"name\": \"mnist\", \"train\": \""
                + mnist.resolve("train-images-idx3-ubyte.gz") + "\", \"test\": \"" + mnist.resolve("t10k-images-idx3-ubyte.gz") + "\"}], "
                + "\"architectures\": [\"fc\", \"lenet\"], \"train_sizes\": [64, 4096], \"seeds\": [0], \"training\": {\"epochs\": 50}, "
                + "\"measure\": {\"probes\": 50}}");
        Process p = ChildCli.start(logs, tmp, "study", file.toString(), "--threads", "1", "--out", out.toString());
        Path cells = out.resolve("cells.jsonl");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && lines(cells) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(p.isAlive(), "the study must still run when signalled");
        ChildCli.signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(logs.resolve("err.txt"));
        assertEquals(130, p.exitValue(), err);
        assertTrue(err.contains("interrupted: " + lines(cells) + " cell line(s) saved in " + cells), err);
        assertTrue(err.contains("rerun the same command to resume"), err);
    }

    private static void assertNoTemporaries(Path out, Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().endsWith(".part")).toList(), "no temporary files in --out");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith("diffeo-bundled")).toList(),
                    "no bundled folder left in the temporary directory");
        }
    }
}
