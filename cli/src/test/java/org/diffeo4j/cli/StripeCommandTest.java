package org.diffeo4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.isEmpty;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        "--train-sizes=64,1|train size P must be >= 2, found 1",
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
    void aSmallRunWritesTablesFiguresAndResumes() throws IOException {
        Path out = dir.resolve("s");
        CliTest.Run r = run(with("--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fit: R_f ~ P^"), r.out());
        for (String png : new String[]{"stripe_plane.png", "stripe_rf.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(img, png + " must be a readable PNG");
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, png);
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
}
