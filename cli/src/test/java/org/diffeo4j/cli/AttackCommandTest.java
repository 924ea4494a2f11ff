package org.diffeo4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.report.FigureChecks;
import org.diffeo4j.run.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code diffeo attack} through the command line: its files, the energy constraint, replay of the written
 * coefficients by {@code deform --coefficients} (f(tau* x) to 1e-5), resume, and the typical columns
 * against {@code measure}.
 */
class AttackCommandTest {
    @TempDir
    Path dir;

    static JsonObject json(Path p) throws Exception {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    /** The outputs of {@code model} on replayed.npy against those the coefficients file records. */
    static double replayError(Path coefficients, Path replayed, String model) throws Exception {
        ImageBatch images = npy(replayed);
        float[] f;
        try (Model m = Models.load(Path.of(model))) {
            f = m.forward(images).data();
        }
        JsonArray cells = json(coefficients).getAsJsonArray("cells");
        int row = 0, k = f.length / images.count();
        double worst = 0;
        for (JsonElement c : cells) {
            for (JsonElement e : c.getAsJsonObject().getAsJsonArray("entries")) {
                JsonArray out = e.getAsJsonObject().getAsJsonArray("output");
                for (int u = 0; u < k; u++) {
                    worst = Math.max(worst, Math.abs(out.get(u).getAsFloat() - f[row * k + u]) / Math.max(1, Math.abs(f[row * k + u])));
                }
                row++;
            }
        }
        assertEquals(images.count(), row, "one replay per entry");
        return worst;
    }

    /** A float32 (N, C, H, W) NPY file as written (values not range-checked: normalised probes leave [0, 1]). */
    static ImageBatch npy(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        String header = new String(b, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'"), header);
        String[] dims = header.replaceAll(".*'shape': \\(([^)]*)\\).*\\s*", "$1").split(",\\s*");
        int[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
        java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(b, 10 + headerLength, b.length - 10 - headerLength)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[f.remaining()];
        f.get(v);
        return new ImageBatch(shape[0], shape[1], shape[2], shape[3], v);
    }

    @Test
    void bundledLenetWritesEverythingReplaysAndResumes() throws Exception {
        Path out = dir.resolve("a");
        String[] args = {"attack", "--probes", "12", "--restarts", "2", "--steps", "3", "--delta", "0.5,1", "--out", out.toString()};
        CliTest.Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("D_f*") && r.out().contains("derivative-free"), r.out());
        for (String f : new String[]{"attack.json", "attack.csv", "attack-probes.csv", "coefficients.json", "attack.jsonl", "sheet-c3-d0.5.png",
            "sheet-c3-d1.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        FigureChecks.pngAndSvg(out.resolve("attack.png"), 1200, 300);
        FigureChecks.pngAndSvg(out.resolve("sheet-c3-d1.png"), 400, 200);
        JsonObject a = json(out.resolve("attack.json"));
        JsonArray results = a.getAsJsonArray("results");
        assertEquals(2, results.size());
        for (JsonElement e : results) {
            JsonObject c = e.getAsJsonObject();
            assertTrue(c.getAsJsonObject("energy").get("max_relative_error").getAsDouble() < 1e-6);
            double d = c.getAsJsonObject("typical").getAsJsonObject("D").get("logmean").getAsDouble();
            double worst = c.getAsJsonObject("worst").get("D").getAsDouble();
            assertTrue(worst > d, "D_f* " + worst + " vs D_f " + d);
            assertEquals(worst / c.getAsJsonObject("typical").getAsJsonObject("G").get("logmean").getAsDouble(),
                    c.getAsJsonObject("worst").get("R").getAsDouble(), 1e-12 * worst);
        }
        assertEquals(24, json(out.resolve("coefficients.json")).getAsJsonArray("cells").get(0).getAsJsonObject().getAsJsonArray("entries").size() * 2);
        assertEquals(1 + 24, Files.readAllLines(out.resolve("attack-probes.csv")).size());
        // replay every written tau with deform: the model's outputs on the replayed images are f(tau* x) as written
        Path rep = dir.resolve("replay");
        CliTest.Run d = run("deform", "--coefficients", out.resolve("coefficients.json").toString(), "--out", rep.toString());
        assertEquals(0, d.code(), d.err());
        double error = replayError(out.resolve("coefficients.json"), rep.resolve("replayed.npy"), SharedFiles.root().resolve("models/lenet_visible.onnx").toString());
        assertTrue(error <= 1e-5, "replay error " + error);
        assertTrue(Files.isRegularFile(rep.resolve("probe_3_c3_d1.png")));
        // a rerun with one more strength takes the two cells from the journal and gives the same numbers
        String[] more = args.clone();
        more[8] = "0.5,1,2";
        CliTest.Run again = run(more);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("note: 2 finished cell(s) taken from"), again.err());
        JsonArray resumed = json(out.resolve("attack.json")).getAsJsonArray("results");
        assertEquals(3, resumed.size());
        assertEquals(results.get(1).getAsJsonObject().get("worst"), resumed.get(1).getAsJsonObject().get("worst"));
        assertTrue(Files.isRegularFile(out.resolve("sheet-c3-d2.png")));
    }

    /** The typical columns are measure's with as many realisations as restarts (Java backend, same seed). */
    @Test
    void typicalColumnsAreMeasure() {
        CliTest.Run a = run("attack", "--probes", "20", "--restarts", "2", "--steps", "1", "--seed", "4", "--format", "json");
        CliTest.Run m = run("measure", "--probes", "20", "--realisations", "2", "--seed", "4", "--backend", "java", "--format", "json");
        assertEquals(0, a.code(), a.err());
        JsonObject at = JsonParser.parseString(a.out()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonObject("typical");
        JsonObject me = JsonParser.parseString(m.out()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        for (String q : new String[]{"D", "G", "R"}) {
            assertEquals(me.getAsJsonObject(q).get("values"), at.getAsJsonObject(q).get("values"), q);
        }
    }

    /**
     * A TorchScript net with gradients, normalised probes and the margin: the gradient method is chosen,
     * the replay (normalised like the attack's probes) reproduces the outputs.
     */
    @Test
    void torchScriptGradientWithNormalisationReplays() throws Exception {
        String model = SharedFiles.testData().resolve("torch/lenet.pt").toString();
        Path out = dir.resolve("t");
        CliTest.Run r = run("attack", "--model", model, "--data", MeasureCommandTest.mnist(), "--probes", "10", "--restarts", "1", "--steps", "4",
                "--target", "margin", "--mean", "0.1", "--std", "0.9", "--out", out.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonObject cell = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals("gradient", cell.get("method").getAsString());
        assertEquals("margin", cell.get("target").getAsString());
        assertTrue(JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("provenance").getAsJsonObject("evaluations")
                .get("forward_backward_images").getAsLong() > 0);
        // the one provenance record of every command (issue 21): command, inputs with hashes, and the manifest's copy
        JsonObject prov = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("provenance");
        assertEquals("attack", prov.get("command").getAsString());
        assertEquals(64, prov.getAsJsonObject("inputs").getAsJsonObject("model").get("sha256").getAsString().length());
        assertEquals(0.1, prov.getAsJsonObject("normalisation").getAsJsonArray("mean").get(0).getAsDouble());
        assertEquals("complete", RunFolder.manifest(out).state());
        Path rep = dir.resolve("trep");
        CliTest.Run d = run("deform", MeasureCommandTest.mnist(), "--coefficients", out.resolve("coefficients.json").toString(), "--out", rep.toString());
        assertEquals(0, d.code(), d.err());
        double error = replayError(out.resolve("coefficients.json"), rep.resolve("replayed.npy"), model);
        assertTrue(error <= 1e-5, "replay error " + error);
        Path two = dir.resolve("two");
        CliTest.Run d2 = run("deform", MeasureCommandTest.mnist(), "--coefficients", out.resolve("coefficients.json").toString(), "--index", "2,7",
                "--out", two.toString());
        assertEquals(0, d2.code(), d2.err());
        assertEquals(2, npy(two.resolve("replayed.npy")).count());
    }
}
