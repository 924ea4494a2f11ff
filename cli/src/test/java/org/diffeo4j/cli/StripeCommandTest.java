package org.diffeo4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.report.FigureChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.isEmpty;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripeCommandTest {
    @TempDir
    Path dir;

    /** A small sweep: seconds, not minutes. */
    private static final String[] SMALL = {"stripe", "--dim", "6", "--train-sizes", "32,256", "--seeds", "2", "--width", "16", "--test", "1000"};

    private static String[] with(String... more) {
        String[] a = new String[SMALL.length + more.length];
        System.arraycopy(SMALL, 0, a, 0, SMALL.length);
        System.arraycopy(more, 0, a, SMALL.length, more.length);
        return a;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--dim=1|dim must be >= 2, found 1",
        "--train-sizes=64,1|--train-sizes must be >= 2 each (P, the training points), found 1",
        "--width=0|width must be >= 1, found 0",
        "--train-sizes=|--train-sizes must be a non-empty list like 512,1024, found ''",
        "--train-sizes=a,b|--train-sizes must be a list of integers",
        "--seeds=0|seeds must be >= 1, found 0",
        "--noise-norm=-1|noise-norm must be a finite number > 0, found -1.0",
        "--test=0|test must be >= 1, found 0",
        "--format=xml|--format must be table or json, found 'xml'"})
    void badInputIsOneErrorLineExitTwoAndWritesNothing(String option, String message) throws IOException {
        Path out = dir.resolve("bad");
        CliTest.Run r = run("stripe", option, "--out", out.toString());
        assertInputError(r, message);
        assertEquals(1, r.err().lines().count(), "one error line: " + r.err());
        assertTrue(isEmpty(out), "nothing may be written on bad input");
    }

    @Test
    void aSmallRunWritesTablesFiguresAndResumes() throws Exception {
        Path out = dir.resolve("s");
        CliTest.Run r = run(with("--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fit: R_f ~ P^"), r.out());
        for (String png : new String[]{"stripe_plane.png", "stripe_rf.png"}) {
            FigureChecks.pngAndSvg(out.resolve(png), 600, 600);
        }
        JsonObject j = JsonParser.parseString(Files.readString(out.resolve("stripe.json"))).getAsJsonObject();
        JsonArray results = j.getAsJsonArray("results");
        assertEquals(2, results.size());
        JsonObject big = results.get(1).getAsJsonObject();
        assertEquals(256, big.get("train_size").getAsInt());
        assertEquals(2, big.getAsJsonObject("R").getAsJsonArray("values").size());
        assertTrue(big.getAsJsonObject("R").get("logmean").getAsDouble() < 0.5, big.toString());
        double r0 = big.getAsJsonObject("R_init").get("logmean").getAsDouble();
        assertTrue(r0 > 0.5 && r0 < 2, "R_f at initialisation " + r0);
        assertTrue(big.get("test_error").getAsDouble() < results.get(0).getAsJsonObject().get("test_error").getAsDouble(), results.toString());
        assertTrue(big.has("alignment"));
        assertTrue(j.getAsJsonObject("fit").has("slope") && j.getAsJsonObject("fit").has("slope_err"), j.get("fit").toString());
        assertEquals(2, j.getAsJsonObject("provenance").getAsJsonArray("seeds").size());
        JsonArray cells = j.getAsJsonArray("cells");
        assertEquals(4, cells.size());
        assertTrue(cells.get(0).getAsJsonObject().has("R_init") && cells.get(0).getAsJsonObject().get("fitted").getAsBoolean(), cells.toString());
        assertEquals(5, Files.readAllLines(out.resolve("stripe.csv")).size());

        CliTest.Run again = run(with("--out", out.toString(), "--format", "json"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("note: 4 finished cell(s) taken from"), again.err());
        JsonObject j2 = JsonParser.parseString(again.out()).getAsJsonObject();
        assertEquals(results, j2.getAsJsonArray("results"), "resumed cells must give the same results");
        assertEquals(4, j2.getAsJsonObject("provenance").get("reused_cells").getAsInt());
    }

    /** Two sizes fit a slope but give it no standard error: null and "n/a", never NaN (issue 21). */
    @Test
    void anUndefinedValueIsNullInStrictJson() throws Exception {
        CliTest.Run json = run("stripe", "--train-sizes", "64,128", "--seeds", "1", "--format", "json");
        assertEquals(0, json.code(), json.err());
        assertStrict(json.out());
        JsonObject fit = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonObject("fit");
        assertEquals(2, fit.get("points").getAsInt(), fit.toString());
        assertTrue(Double.isFinite(fit.get("slope").getAsDouble()), fit.toString());
        assertTrue(fit.get("slope_err").isJsonNull(), fit.toString());

        Path out = dir.resolve("two");
        CliTest.Run table = run("stripe", "--train-sizes", "64,128", "--seeds", "1", "--out", out.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains(" +/- n/a over P in [64, 128]"), table.out());
        try (var files = Files.list(out)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl")).toList()) {
                assertStrict(Files.readString(f));
            }
        }
        CliTest.Run again = run("stripe", "--train-sizes", "64,128", "--seeds", "1", "--out", out.toString(), "--format", "json");
        assertEquals(json.out().replaceAll("(?s)\\s*\"provenance\".*", ""), again.out().replaceAll("(?s)\\s*\"provenance\".*", ""),
                "the cells read back from the log give the same results");
    }

    /** RFC 8259 JSON: Gson's strict reader accepts it (it refuses NaN and Infinity). */
    private static void assertStrict(String text) throws IOException {
        assertTrue(!text.contains("NaN") && !text.contains("Infinity"), text);
        for (String doc : text.strip().startsWith("{\"key\"") ? text.strip().split("\n") : new String[]{text}) {
            com.google.gson.stream.JsonReader r = new com.google.gson.stream.JsonReader(new java.io.StringReader(doc));
            r.setStrictness(com.google.gson.Strictness.STRICT);
            JsonParser.parseReader(r);
        }
    }
}
