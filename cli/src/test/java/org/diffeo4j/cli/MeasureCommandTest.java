package org.diffeo4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Npy;
import org.diffeo4j.dl4j.Dl4jNets;
import org.diffeo4j.report.FigureChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasureCommandTest {
    @TempDir
    Path dir;

    static String lenet() {
        return SharedFiles.root().resolve("models/lenet_visible.onnx").toString();
    }

    static String mnist() {
        return SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString();
    }

    static JsonObject json(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    static double r(JsonObject o, int cell) {
        return o.getAsJsonArray("results").get(cell).getAsJsonObject().getAsJsonObject("R").get("logmean").getAsDouble();
    }

    /** The acceptance run: within a factor e^0.1 of the reference's 8.27 (../shared/models/reference.json). */
    @Test
    void lenetMatchesTheReference() {
        JsonObject o = json(run("measure", "--model", lenet(), "--data", mnist(), "--probes", "500", "--cut", "3", "--delta", "1",
                "--realisations", "10", "--format", "json", "--backend", "java"));
        double r = r(o, 0), ref = 8.274518013000488;
        assertTrue(Math.abs(Math.log(r / ref)) < 0.1, "R_f = " + r + " vs reference " + ref);
        JsonObject cell = o.getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals(10, cell.getAsJsonObject("D").getAsJsonArray("values").size());
        assertEquals("bilinear", cell.get("interp").getAsString());
        JsonObject p = o.getAsJsonObject("provenance");
        assertEquals(64, p.getAsJsonObject("inputs").getAsJsonObject("model").get("sha256").getAsString().length());
        assertEquals("measure", p.get("command").getAsString());
        assertEquals(0, p.getAsJsonArray("seeds").get(0).getAsInt());
        assertTrue(p.getAsJsonObject("timings").has("statistics_s"));
        assertTrue(p.getAsJsonObject("versions").get("model_runtime").getAsString().startsWith("onnxruntime 1.28"));
    }

    /** --threads reaches the model's runtime, not only the deformation backend (issue 21 item 4). */
    @Test
    void threadsReachTheModelRuntime() {
        for (int n : new int[]{1, 2}) {
            JsonObject o = json(run("measure", "--probes", "20", "--format", "json", "--backend", "java", "--threads", Integer.toString(n)));
            String runtime = o.getAsJsonObject("provenance").getAsJsonObject("versions").get("model_runtime").getAsString();
            assertTrue(runtime.contains("(" + n + " intra-op thread" + (n == 1 ? "" : "s") + ", sequential)"), runtime);
        }
    }

    @Test
    void bundledDefaultPrintsATable() {
        CliTest.Run r = run("measure", "--backend", "java", "--probes", "100");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("R_f") && r.out().contains("output      3"), r.out());
    }

    @Test
    void sweepWritesJsonCsvAndFigure() throws Exception {
        Path out = dir.resolve("o");
        JsonObject o = json(run("measure", "--model", lenet(), "--data", mnist(), "--probes", "60", "--cut", "3,5",
                "--delta", "0.5,1,2", "--interp", "gaussian", "--average", "mean", "--out", out.toString(), "--format", "json",
                "--backend", "java"));
        assertEquals(6, o.getAsJsonArray("results").size());
        FigureChecks.pngAndSvg(out.resolve("stability.png"), 1500, 400); // three panels
        assertEquals(7, Files.readAllLines(out.resolve("stability.csv")).size());
        assertEquals(o, JsonParser.parseString(Files.readString(out.resolve("stability.json"))));
        assertEquals(6, Files.readAllLines(out.resolve("stability.jsonl")).size());
        // An interrupted run resumes: drop two finished cells and tear the last line (a kill mid-append leaves a
        // line without its newline); the rerun recomputes them and gives the same results.
        List<String> lines = Files.readAllLines(out.resolve("stability.jsonl"));
        Files.writeString(out.resolve("stability.jsonl"), lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2) + "\n" + lines.get(3).substring(0, 40));
        CliTest.Run again = run("measure", "--model", lenet(), "--data", mnist(), "--probes", "60", "--cut", "3,5",
                "--delta", "0.5,1,2", "--interp", "gaussian", "--average", "mean", "--out", out.toString(), "--format", "json",
                "--backend", "java");
        assertTrue(again.err().contains("note: 3 finished cell(s) taken from"), again.err());
        assertEquals(o.get("results"), json(again).get("results"));
    }

    /** A DL4J network built and trained here gives a report through the same command. */
    @Test
    void trainedDl4jNetworkThroughTheCommand() throws IOException {
        Path root = SharedFiles.root().resolve("data/mnist");
        ImageBatch x = Idx.readImages(root.resolve("train-images-idx3-ubyte.gz")).slice(0, 300);
        int[] y = Idx.readLabels(root.resolve("train-labels-idx1-ubyte.gz"));
        MultiLayerNetwork net = Dl4jNets.smallConv(7);
        Dl4jNets.train(net, x, y, 5);
        Path zip = Dl4jNets.save(net, dir.resolve("lenet-dl4j.zip"));
        JsonObject o = json(run("measure", "--model", zip.toString(), "--data", mnist(), "--probes", "100", "--realisations", "2",
                "--layer", "fc1", "--format", "json", "--backend", "java"));
        JsonObject cell = o.getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(r(o, 0) > 0 && Double.isFinite(r(o, 0)));
        assertTrue(cell.getAsJsonObject("layers").getAsJsonObject("fc1").has("R"));
        assertTrue(o.getAsJsonObject("provenance").getAsJsonObject("inputs").getAsJsonObject("model").get("description").getAsString().startsWith("DL4J"));
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        assertInputError(run("measure", "--model", dir.resolve("none.onnx").toString(), "--data", mnist()), "found no file");
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), new byte[]{8, 1, 2, 3, 4, 5});
        assertInputError(run("measure", "--model", corrupt.toString(), "--data", mnist()), "--model must be an ONNX file");
        Path cifarLike = dir.resolve("rgb.npy");
        Npy.write(cifarLike, ImageBatch.zeros(4, 3, 32, 32));
        CliTest.Run shape = run("measure", "--model", lenet(), "--data", cifarLike.toString(), "--probes", "4");
        assertInputError(shape, "[B, 1, 28, 28]");
        assertTrue(shape.err().contains("[4, 3, 32, 32]"), shape.err());
        Path idx = dir.resolve("bad-images-idx3-ubyte.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(idx))) {
            o.write(new byte[]{0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        }
        assertInputError(run("measure", "--model", lenet(), "--data", idx.toString()), "bad-images-idx3-ubyte.gz");
        assertInputError(run("measure", "--model", lenet(), "--data", mnist(), "--probes", "5000"),
                "--probes must be between 3 and the 2000 images available");
        assertInputError(run("measure", "--model", lenet(), "--data", mnist(), "--cut", "1", "--delta", "1"),
                "cut must be >= 2 for a temperature from delta (ln 1 = 0), found 1");
        Files.createDirectories(dir.resolve("empty/class0"));
        assertInputError(run("measure", "--model", lenet(), "--data", dir.resolve("empty").toString()), "must hold PNG or JPEG images");
        CliTest.Run both = run("measure", "--delta", "1", "--temperature", "0.001");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.out().isEmpty(), "nothing on stdout on bad input: " + both.out());
    }

    /** --noise spectral keeps every D_f, changes G_f, and says so; the default is --noise gaussian. */
    @Test
    void spectralNoiseIsNamedAndKeepsDf() {
        String[] base = {"measure", "--model", lenet(), "--data", mnist(), "--probes", "60", "--realisations", "2", "--format", "json",
                "--backend", "java"};
        JsonObject g = json(run(base)).getAsJsonArray("results").get(0).getAsJsonObject();
        JsonObject gx = json(run(concat(base, "--noise", "gaussian"))).getAsJsonArray("results").get(0).getAsJsonObject();
        JsonObject sp = json(run(concat(base, "--noise", "spectral"))).getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals("gaussian", g.get("noise").getAsString());
        assertEquals("spectral", sp.get("noise").getAsString());
        assertEquals(g.get("R"), gx.get("R"));
        assertEquals(g.get("D"), sp.get("D"));
        assertTrue(!g.get("G").equals(sp.get("G")), "G^spec must differ from G");
    }

    /**
     * --per-probe: per-probe D_i / deno and G_i / deno average (--average mean) to each cell's D_f and G_f,
     * for every realisation; the margin's sign is correctness; CSV rows for every (cell, realisation, probe); a figure.
     */
    @Test
    void perProbeAveragesToTheCellsAndMarginsAgree() throws Exception {
        Path out = dir.resolve("pp");
        JsonObject o = json(run("measure", "--model", lenet(), "--data", mnist(), "--probes", "50", "--cut", "3",
                "--delta", "0.5,1", "--average", "mean", "--realisations", "2", "--per-probe", "--out", out.toString(),
                "--format", "json", "--backend", "java"));
        JsonObject pp = JsonParser.parseString(Files.readString(out.resolve("per-probe.json"))).getAsJsonObject();
        assertEquals("true class - best other", pp.get("margin").getAsString());
        var cells = pp.getAsJsonArray("cells");
        assertEquals(4, cells.size());
        for (int k = 0; k < 4; k++) {
            JsonObject c = cells.get(k).getAsJsonObject();
            JsonObject cell = o.getAsJsonArray("results").get(k / 2).getAsJsonObject();
            int r = c.get("realisation").getAsInt();
            for (String q : new String[]{"D", "G"}) {
                double want = cell.getAsJsonObject(q).getAsJsonArray("values").get(r).getAsDouble();
                assertEquals(want, c.get(q + "_avg").getAsDouble(), 1e-9 * want, q + " of entry " + k);
            }
        }
        int wrong = 0;
        for (var e : pp.getAsJsonArray("probes")) {
            JsonObject p = e.getAsJsonObject();
            boolean correct = p.get("correct").getAsBoolean();
            assertEquals(correct, p.get("margin").getAsDouble() > 0, p.toString());
            assertEquals(correct, p.get("label").getAsInt() == p.get("predicted").getAsInt(), p.toString());
            wrong += correct ? 0 : 1;
        }
        assertTrue(wrong > 0, "the first 50 digits hold a LeNet error, so both signs are tested");
        assertEquals(1 + 4 * 50, Files.readAllLines(out.resolve("per-probe.csv")).size());
        FigureChecks.pngAndSvg(out.resolve("per-probe.png"), 1000, 400); // two panels
    }

    /** The suite of BadInputSuiteTest adds --out to every case, so --per-probe alone is checked here. */
    @Test
    void perProbeWithoutOutIsBadInput() {
        CliTest.Run r = run("measure", "--per-probe", "--probes", "20");
        assertInputError(r, "--per-probe needs --out DIR");
        assertTrue(r.out().isEmpty(), r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
