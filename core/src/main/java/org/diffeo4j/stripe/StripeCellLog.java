package org.diffeo4j.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.diffeo4j.report.StrictJson;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSONL log of finished stripe cells, {@code {"key": ..., "cell": {...}}} per line, appended and
 * closed as each cell finishes (the pattern of {@code report.CellLog}): a rerun with the same
 * {@link StripeSpec#cellKey()} reuses them. Lines of another key, and a torn last line, are ignored.
 */
public final class StripeCellLog implements StripeSweep.CellStore {
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
                            StripeCell c = cell(o.getAsJsonObject("cell"));
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

    /** A cell as {@link #finished} writes it (field names of {@link StripeCell}; null, or NaN in older logs, for an undefined value). */
    private static StripeCell cell(JsonObject c) {
        return new StripeCell(c.get("trainSize").getAsInt(), c.get("seed").getAsInt(), number(c.get("r")), number(c.get("rInit")),
                number(c.get("testError")), number(c.get("alignment")), c.get("epochs").getAsInt(), c.get("fitted").getAsBoolean(),
                number(c.get("seconds")));
    }

    private static double number(JsonElement e) {
        return e.isJsonNull() ? Double.NaN : e.getAsDouble();
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
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trainSize", cell.trainSize());
        c.put("seed", cell.seed());
        // Strict JSON: a value undefined in a cell (no active unit: no alignment) is null, read back as NaN.
        c.put("r", StrictJson.optional(cell.r()));
        c.put("rInit", StrictJson.optional(cell.rInit()));
        c.put("testError", cell.testError());
        c.put("alignment", StrictJson.optional(cell.alignment()));
        c.put("epochs", cell.epochs());
        c.put("fitted", cell.fitted());
        c.put("seconds", cell.seconds());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("key", key);
        o.put("cell", c);
        String line = StrictJson.line(o, "the stripe cell log " + file);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(line);
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
