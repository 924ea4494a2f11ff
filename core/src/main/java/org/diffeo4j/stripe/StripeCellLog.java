package org.diffeo4j.stripe;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSONL log of finished stripe cells, {@code {"key": ..., "cell": {...}}} per line, appended and
 * closed as each cell finishes (the pattern of {@code report.CellLog}): a rerun with the same
 * {@link StripeSpec#cellKey()} reuses them. Lines of another key, and a torn last line, are ignored.
 */
public final class StripeCellLog implements StripeSweep.CellStore {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private final Path file;
    private final String key;
    private final List<StripeCell> known = new ArrayList<>();
    private int reused;

    public StripeCellLog(Path file, String key) {
        this.file = file;
        this.key = key;
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (key.equals(o.get("key").getAsString())) {
                            StripeCell c = GSON.fromJson(o.get("cell"), StripeCell.class);
                            if (c != null && c.trainSize() >= 2) {
                                known.add(c);
                            }
                        }
                    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
                        // torn or foreign line: recomputed
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How many cells were taken from the log instead of computed. */
    public int reused() {
        return reused;
    }

    @Override
    public Optional<StripeCell> find(int trainSize, int seed) {
        Optional<StripeCell> c = known.stream().filter(k -> k.trainSize() == trainSize && k.seed() == seed).findFirst();
        c.ifPresent(x -> reused++);
        return c;
    }

    @Override
    public void finished(StripeCell cell) {
        JsonObject o = new JsonObject();
        o.addProperty("key", key);
        o.add("cell", GSON.toJsonTree(cell));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(o.toString());
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
