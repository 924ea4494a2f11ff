package org.diffeo4j.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;

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
 * A JSONL log of finished sweep cells, one {@code {"key": ..., "cell": ...}} line each, appended and
 * flushed as each cell finishes; a rerun with the same key reuses them, so an interrupted run loses
 * only the cell in progress. Lines of another key (other model, data, seed, ...) are ignored, and
 * a torn last line (the run was killed while writing) is cut off when the log is opened, so the
 * rerun's line for that cell follows whole lines only.
 */
public final class CellLog implements StabilityMeasurement.CellStore {
    private final Path file;
    private final String key;
    private final List<CellResult> known = new ArrayList<>();
    private int reused;

    /** Opens (or starts) the log at {@code file} for runs identified by {@code key}. */
    public CellLog(Path file, String key) {
        this.file = file;
        this.key = key;
        if (Files.isRegularFile(file)) {
            try {
                dropTornLine(file);
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (key.equals(o.get("key").getAsString())) {
                            known.add(StabilityReport.parseCell(o.getAsJsonObject("cell")));
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

    /** Truncates {@code file} after its last newline: the part after it is a line a killed run left half-written. */
    static void dropTornLine(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size(), end = size;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                ch.truncate(end);
            }
        }
    }

    /** How many cells were taken from the log instead of measured. */
    public int reused() {
        return reused;
    }

    @Override
    public Optional<CellResult> find(int cut, double temperature) {
        Optional<CellResult> c = known.stream().filter(k -> k.cut() == cut && k.temperature() == temperature).findFirst();
        c.ifPresent(x -> reused++);
        return c;
    }

    @Override
    public void finished(CellResult cell) {
        JsonObject o = new JsonObject();
        o.addProperty("key", key);
        o.add("cell", StabilityReport.cellJson(cell));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(StrictJson.line(o, "the cell log " + file));
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
