package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StrictJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code DIR/shard.json}: which shard of which study a folder holds, so a rerun continues the same
 * shard and {@code --merge} can refuse folders of another study file or a repeated shard. The study
 * is identified by the SHA-256 of the study file's bytes: two files that differ in anything (a seed,
 * an epoch count) never merge.
 *
 * @param studySha256 lower-case hex SHA-256 of the study file's content
 * @param study the study file as given (for people; the hash decides)
 */
public record ShardFolder(Shard shard, String studySha256, String study) {
    /** The file's name inside a shard folder. */
    public static final String FILE = "shard.json";

    /** The SHA-256 of {@code file}'s bytes, lower-case hex. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new BadInputException("study must be a readable file, found " + file + " (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The shard record of {@code dir}, or null when it holds none (a whole study or an empty folder). */
    public static ShardFolder read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            return new ShardFolder(new Shard(o.get("index").getAsInt(), o.get("count").getAsInt()), o.get("study_sha256").getAsString(),
                    o.get("study").getAsString());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(FILE + " must be a shard record, found an unreadable one in " + dir + " (" + Json.firstLine(e) + ")");
        }
    }

    /**
     * Checks that {@code dir} may take {@code wanted} (null: the whole study): an empty folder, the same
     * shard of the same study file, or (for a whole run) a folder that is no shard. Writes nothing.
     *
     * @param hasCells whether {@code dir} already holds cells
     */
    public static void check(Path dir, ShardFolder wanted, boolean hasCells) {
        ShardFolder had = read(dir);
        if (had == null) {
            if (wanted != null && hasCells) {
                throw new BadInputException("shard must go to an empty folder or one holding the same shard, found cells of a whole study in " + dir);
            }
            return;
        }
        if (wanted == null) {
            throw new BadInputException("shard must be given as " + had.shard() + " to continue " + dir + ", found none");
        }
        if (!had.studySha256().equals(wanted.studySha256())) {
            throw new BadInputException("out must be empty or hold a shard of the same study file, found one of " + had.study() + " (sha256 "
                    + had.studySha256() + ") in " + dir);
        }
        if (!had.shard().equals(wanted.shard())) {
            throw new BadInputException("shard must be " + had.shard() + " to continue " + dir + ", found " + wanted.shard());
        }
    }

    /** Writes this record to {@code dir}/shard.json (atomically). */
    public void write(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("shard", shard.toString());
        o.addProperty("index", shard.index());
        o.addProperty("count", shard.count());
        o.addProperty("study_sha256", studySha256);
        o.addProperty("study", study);
        o.addProperty("assignment", "unit i of the canonical order (datasets x architectures x train sizes x seeds, from 0) in shard (i mod N) + 1");
        Files2.writeString(dir.resolve(FILE), StrictJson.pretty(o, FILE));
    }
}
