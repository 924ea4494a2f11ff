package org.diffeo4j.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.attack.AttackCell;
import org.diffeo4j.attack.AttackRun;
import org.diffeo4j.run.Journal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The journal of an attack: one {@code {"key": ..., "cell": ...}} line per finished cell (every
 * probe's coefficients included), appended as each finishes, in the run store's one {@link Journal}
 * with its rules (a torn last line dropped, a malformed complete line refused); lines of another key
 * are left alone.
 */
public final class AttackLog implements AttackRun.CellStore {
    private final Journal journal;
    private final String key;
    private final Map<String, AttackCell> known = new LinkedHashMap<>();
    private int reused;

    public AttackLog(Path file, String key) {
        this.journal = Journal.open(file, line -> {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            JsonObject c = o.getAsJsonObject("cell");
            return entryKey(o.get("key").getAsString(), c.get("cut").getAsInt(), c.get("T").getAsDouble());
        });
        this.key = key;
        for (String line : journal.lines()) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (key.equals(o.get("key").getAsString())) {
                AttackCell c = AttackReport.parseCell(o.getAsJsonObject("cell"));
                known.put(entryKey(key, c.cut(), c.temperature()), c);
            }
        }
    }

    private static String entryKey(String runKey, int cut, double temperature) {
        return runKey + "|" + cut + "|" + temperature;
    }

    /** Cells taken from the journal instead of attacked. */
    public int reused() {
        return reused;
    }

    @Override
    public Optional<AttackCell> find(int cut, double temperature) {
        Optional<AttackCell> c = Optional.ofNullable(known.get(entryKey(key, cut, temperature)));
        c.ifPresent(x -> reused++);
        return c;
    }

    @Override
    public void finished(AttackCell cell) {
        String k = entryKey(key, cell.cut(), cell.temperature());
        if (journal.has(k)) {
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("key", key);
        o.add("cell", AttackReport.cellJson(cell, true));
        journal.append(StrictJson.line(o, "the attack journal " + journal.file()));
        known.put(k, cell);
    }
}
