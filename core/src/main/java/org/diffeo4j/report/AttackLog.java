package org.diffeo4j.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackRun;

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
 * The journal of an attack: one {@code {"key": ..., "cell": ...}} line per finished cell (every
 * probe's coefficients included), appended as each finishes, as {@link CellLog} does for measure and
 * with its rules: lines of another key are ignored, a torn last line is cut off when it is opened.
 */
public final class AttackLog implements AttackRun.CellStore {
    private final Path file;
    private final String key;
    private final List<AttackCell> known = new ArrayList<>();
    private int reused;

    public AttackLog(Path file, String key) {
        this.file = file;
        this.key = key;
        if (Files.isRegularFile(file)) {
            try {
                CellLog.dropTornLine(file);
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (key.equals(o.get("key").getAsString())) {
                            known.add(AttackReport.parseCell(o.getAsJsonObject("cell")));
                        }
                    } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                             | UnsupportedOperationException e) {
                        // torn or foreign line: recomputed
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Cells taken from the journal instead of attacked. */
    public int reused() {
        return reused;
    }

    @Override
    public Optional<AttackCell> find(int cut, double temperature) {
        Optional<AttackCell> c = known.stream().filter(k -> k.cut() == cut && k.temperature() == temperature).findFirst();
        c.ifPresent(x -> reused++);
        return c;
    }

    @Override
    public void finished(AttackCell cell) {
        JsonObject o = new JsonObject();
        o.addProperty("key", key);
        o.add("cell", AttackReport.cellJson(cell, true));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(StrictJson.line(o, "the attack journal " + file));
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
