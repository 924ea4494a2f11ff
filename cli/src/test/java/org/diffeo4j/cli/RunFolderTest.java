package org.diffeo4j.cli;

import org.diffeo4j.run.RunFolder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output folders, resume keys, undefined statistics and exit codes (issue 13 items 1, 2, 4; issue 10 item 7). */
class RunFolderTest {
    @TempDir
    Path dir;

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Item 1: the bundled default resumes (the key holds no temporary path) and logs no cell twice. */
    @Test
    void theBundledDefaultResumes() throws IOException {
        Path out = dir.resolve("o");
        String[] args = {"measure", "--probes", "40", "--cut", "3,5", "--delta", "0.5,1", "--backend", "java", "--out", out.toString()};
        CliTest.Run first = run(args);
        assertEquals(0, first.code(), first.err());
        CliTest.Run second = run(args);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("note: 4 finished cell(s) taken from"), second.err());
        assertEquals(4, Files.readAllLines(out.resolve(MeasureCommand.LOG)).size(), "no cell logged twice");
        assertEquals(first.out().replaceAll("time .*", ""), second.out().replaceAll("time .*", ""));
    }

    /** The key is the data's content: the same digits under another name resume, other digits do not. */
    @Test
    void theResumeKeyIsContentNotPath() throws IOException {
        Path mnist = SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz");
        Path copy = Files.copy(mnist, dir.resolve("renamed-images-idx3-ubyte.gz"));
        Path out = dir.resolve("o");
        assertEquals(0, run("measure", "--data", mnist.toString(), "--probes", "30", "--backend", "java", "--out", out.toString()).code());
        CliTest.Run moved = run("measure", "--data", copy.toString(), "--probes", "30", "--backend", "java", "--out", out.toString());
        assertTrue(moved.err().contains("note: 1 finished cell(s) taken"), moved.err());
        CliTest.Run other = run("measure", "--data", copy.toString(), "--probes", "30", "--random-probes", "--backend", "java", "--out", out.toString());
        assertFalse(other.err().contains("taken from"), other.err());
    }

    /** Item 2: a second run with other parameters leaves none of the first run's files (its figure) behind. */
    @Test
    void aRunWithOtherParametersRemovesTheEarlierRunsFiles() throws IOException {
        Path out = dir.resolve("o");
        assertEquals(0, run("measure", "--probes", "30", "--delta", "0.5,1", "--backend", "java", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("stability.png")));
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliTest.Run second = run("measure", "--probes", "30", "--seed", "7", "--backend", "java", "--out", out.toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(List.of(".diffeo-run.json", ".diffeo.lock", "notes.txt", "stability.csv", "stability.json", "stability.jsonl"), names(out),
                "the earlier figure is gone, the user's file stays");
        assertEquals(1, Files.readAllLines(out.resolve(MeasureCommand.LOG)).size(), "only this run's cells in the log");
        assertTrue(Files.readString(out.resolve(RunFolder.MANIFEST)).contains("\"state\": \"complete\""));
    }

    /** Deform's files are named after its inputs: a rerun on other images drops the earlier ones. */
    @Test
    void deformRerunsDoNotMixFiles() throws IOException {
        Path out = dir.resolve("d");
        String mnist = SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString();
        assertEquals(0, run("deform", mnist, "--index", "0,1", "--no-grid", "--backend", "java", "--out", out.toString()).code());
        assertEquals(0, run("deform", mnist, "--index", "2", "--no-grid", "--backend", "java", "--out", out.toString()).code());
        assertEquals(List.of(".diffeo-run.json", ".diffeo.lock", "deform.json", "t10k-images-idx3-ubyte_2_d0.png"), names(out));
    }

    /** Temporaries of a killed run are removed by the next run into the folder. */
    @Test
    void temporariesOfAKilledRunAreRemoved() throws IOException {
        Path out = Files.createDirectories(dir.resolve("p"));
        Files.writeString(out.resolve(".phase.csv.123.part"), "half");
        assertEquals(0, run("phase", "--size", "8", "--cuts", "2", "--temperatures", "1e-3", "--samples", "4", "--out", out.toString()).code());
        assertEquals(List.of(".diffeo-run.json", ".diffeo.lock", "phase.csv", "phase.json", "phase.png", "phase.svg"), names(out));
    }

    /** The manifest says when the run started and when it finished (issue 21: "started" held the finish time). */
    @Test
    void theManifestHoldsTheStartAndTheFinish() throws IOException {
        Path out = dir.resolve("t");
        java.time.Instant before = java.time.Instant.now();
        assertEquals(0, run("phase", "--size", "8", "--cuts", "2", "--temperatures", "1e-3", "--samples", "4", "--out", out.toString()).code());
        java.time.Instant after = java.time.Instant.now();
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve(RunFolder.MANIFEST))).getAsJsonObject();
        java.time.Instant started = java.time.Instant.parse(m.get("started").getAsString());
        java.time.Instant finished = java.time.Instant.parse(m.get("finished").getAsString());
        assertTrue(!started.isBefore(before) && started.isBefore(finished) && !finished.isAfter(after), m + " between " + before + " and " + after);
    }

    /** Item 4: an undefined statistic is null with its reason in strict JSON, and the run exits 1. */
    @Test
    void undefinedStatisticsAreNullAndExitNonZero() throws IOException {
        Path same = NpyFiles.write(dir.resolve("same.npy"), "<f4", new int[]{10, 1, 28, 28}, k -> 0.25);
        Path out = dir.resolve("u");
        CliTest.Run r = run("measure", "--data", same.toString(), "--probes", "10", "--format", "json", "--backend", "java", "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r.err());
        assertTrue(r.err().contains("\nerror: R_f is undefined in 1 cell(s)") || r.err().startsWith("error: R_f is undefined in 1 cell(s)"), r.err());
        String json = Files.readString(out.resolve("stability.json"));
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        JsonObject cell = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(cell.get("deno").isJsonNull() || cell.get("deno").getAsDouble() == 0, json);
        assertTrue(cell.getAsJsonObject("R").get("logmean").isJsonNull(), json);
        assertTrue(cell.get("undefined").getAsString().contains("normalisation"), json);
        assertEquals(json, r.out(), "stdout holds the same JSON");
    }

    /** A model whose outputs are NaN is said to be one, not taken for one whose outputs do not differ (issue 21). */
    @Test
    void nonFiniteOutputsAreSaidToBeNotFinite() throws IOException {
        Path model = Files.write(dir.resolve("nan.onnx"), org.diffeo4j.onnx.TinyOnnx.nonFiniteOutput());
        Path out = dir.resolve("n");
        CliTest.Run r = run("measure", "--model", model.toString(), "--probes", "10", "--backend", "java", "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        String json = Files.readString(out.resolve("stability.json"));
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        String why = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject().get("undefined").getAsString();
        assertTrue(why.contains("the model's outputs are not finite numbers"), why);
        assertFalse(why.contains("do not differ"), why);
    }

    /** Item 3: one value rule for every dtype: the same digits as float32 in [0, 1] and as int64 0..255 give the same R_f. */
    @Test
    void integerAndFloatNpyOfTheSameDigitsAgree() throws IOException {
        ImageBatch digits = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 40);
        float[] d = digits.data();
        Path f32 = NpyFiles.write(dir.resolve("f.npy"), "<f4", new int[]{40, 1, 28, 28}, k -> d[k]);
        Path i64 = NpyFiles.write(dir.resolve("i.npy"), "<i8", new int[]{40, 1, 28, 28}, k -> Math.round(d[k] * 255));
        Path nhwc = NpyFiles.write(dir.resolve("n.npy"), "<f4", new int[]{40, 28, 28, 1}, k -> d[k]);
        String a = run("measure", "--data", f32.toString(), "--probes", "40", "--backend", "java", "--format", "json").out();
        String b = run("measure", "--data", i64.toString(), "--probes", "40", "--backend", "java", "--format", "json").out();
        String c = run("measure", "--data", nhwc.toString(), "--layout", "nhwc", "--probes", "40", "--backend", "java", "--format", "json").out();
        assertEquals(results(a), results(b));
        assertEquals(results(a), results(c));
    }

    private static String results(String json) {
        return JsonParser.parseString(json).getAsJsonObject().get("results").toString();
    }

    /** Issue 10 item 7: a failure of the run (here an IO failure) exits 1 with one line naming no Java exception. */
    @Test
    void failuresOfTheRunExitOne() {
        @CommandLine.Command(name = "failing")
        class Failing implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new UncheckedIOException(new AccessDeniedException("/results/stability.json"));
            }
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = DiffeoCli.execute(new CommandLine(new Failing()), new String[0], new PrintWriter(out), new PrintWriter(err));
        assertEquals(1, code);
        assertEquals("error: file operation failed on /results/stability.json: permission denied", err.toString().strip());
        @CommandLine.Command(name = "runtime")
        class Runtime implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new IllegalStateException("ONNX Runtime failed on lenet.onnx with input [4, 1, 28, 28]: bad alloc");
            }
        }
        StringWriter err2 = new StringWriter();
        assertEquals(1, DiffeoCli.execute(new CommandLine(new Runtime()), new String[0], new PrintWriter(out), new PrintWriter(err2)));
        assertEquals("error: ONNX Runtime failed on lenet.onnx with input [4, 1, 28, 28]: bad alloc", err2.toString().strip());
    }

    /**
     * Issue 21 item 3: the exit code follows from the type. A runtime's own IllegalArgumentException mid-run is a
     * failure of the run (exit 1, "run failed: ..."), not bad input; only BadInputException is exit 2, its option named.
     */
    @Test
    void onlyTheBadInputTypeIsExitTwo() {
        @CommandLine.Command(name = "runtime")
        class RuntimeIae implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new IllegalArgumentException("Shape mismatch: [4, 10] vs [4, 12]");
            }
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(1, DiffeoCli.execute(new CommandLine(new RuntimeIae()), new String[0], new PrintWriter(out), new PrintWriter(err)));
        assertEquals("error: run failed: Shape mismatch: [4, 10] vs [4, 12]", err.toString().strip());
        @CommandLine.Command(name = "input")
        class Input implements Callable<Integer> {
            @CommandLine.Option(names = "--cut")
            int cut;

            @Override
            public Integer call() {
                throw new org.diffeo4j.validate.BadInputException("cut must be >= 1, found 0");
            }
        }
        StringWriter err2 = new StringWriter();
        assertEquals(2, DiffeoCli.execute(new CommandLine(new Input()), new String[0], new PrintWriter(out), new PrintWriter(err2)));
        assertEquals("error: --cut must be >= 1, found 0", err2.toString().strip());
        StringWriter err3 = new StringWriter();
        @CommandLine.Command(name = "failed")
        class Failed implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new org.diffeo4j.run.RunFailedException("R_f is undefined in 1 cell(s)");
            }
        }
        assertEquals(1, DiffeoCli.execute(new CommandLine(new Failed()), new String[0], new PrintWriter(out), new PrintWriter(err3)));
        assertEquals("error: R_f is undefined in 1 cell(s)", err3.toString().strip());
    }

    /** Item 6: --model alone measures on the bundled digits. */
    @Test
    void aModelWithTheBundledDigits() {
        CliTest.Run r = run("measure", "--model", MeasureCommandTest.lenet(), "--probes", "30", "--backend", "java");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bundled:first 500"), r.out());
    }
}
