package org.diffeo4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code diffeo deform --augment}: samples, sheet and replay records; bad specs refused with nothing written. */
class AugmentCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesSamplesSheetAndRecords() throws IOException {
        Path out = dir.resolve("aug");
        CliTest.Run r = CliTest.run("deform", SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(),
                "--index", "0-2", "--augment", "diffeo:c_max=10,diffeomorphic=true", "--count", "5", "--seed", "4",
                "--backend", "java", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("augment.png")));
        assertTrue(Files.exists(out.resolve("t10k-images-idx3-ubyte_2_a4.png")));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("augment.json"))).getAsJsonObject();
        assertEquals(15, json.getAsJsonArray("images").size());
        JsonObject last = json.getAsJsonArray("images").get(14).getAsJsonObject();
        assertEquals(14, last.get("index").getAsInt(), "input k, sample r is image k*count + r");
        int cut = last.get("cut").getAsInt();
        assertTrue(cut >= 2 && cut <= 10, "cut " + cut);
        assertTrue(json.get("fields_drawn").getAsLong() >= 15);
    }

    @Test
    void badSpecsAreInputErrorsAndWriteNothing() throws IOException {
        Path out = dir.resolve("none");
        CliTest.assertInputError(CliTest.run("deform", "--augment", "diffeo:r_c=0", "--out", out.toString()),
                "--augment r_c must be a finite number > 0, found 0.0");
        CliTest.assertInputError(CliTest.run("deform", "--augment", "elastic", "--out", out.toString()), "found 'elastic'");
        CliTest.assertInputError(CliTest.run("deform", "--augment", "diffeo", "--delta", "1", "--out", out.toString()),
                "--delta must be left out with --augment");
        CliTest.assertInputError(CliTest.run("deform", SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(),
                "--augment", "diffeo:c_max=20", "--out", out.toString()), "--augment c_max must be <= 17 for images of width 28");
        assertTrue(CliTest.isEmpty(out));
    }
}
