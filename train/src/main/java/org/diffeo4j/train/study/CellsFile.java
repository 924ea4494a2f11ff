package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cells.jsonl}: one line per finished cell, each appended with a single write of the whole
 * line, so a kill leaves whole lines and at most one torn last line. Opening drops a torn tail (it
 * would glue onto the next line) and keeps the first line of each key, so a cell is never counted
 * twice.
 */
public final class CellsFile {
    private final Path file;
    private final Map<String, Cell> cells = new LinkedHashMap<>();

    /** Opens (or starts) {@code file}. */
    public CellsFile(Path file) {
        this.file = file;
        try {
            if (Files.isRegularFile(file)) {
                byte[] all = Files.readAllBytes(file);
                int end = all.length;
                while (end > 0 && all[end - 1] != '\n') {
                    end--;
                }
                if (end < all.length) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(end);
                    }
                }
                for (String line : new String(all, 0, end, StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        Cell c = Cell.of(JsonParser.parseString(line).getAsJsonObject());
                        cells.putIfAbsent(c.key(), c);
                    } catch (RuntimeException e) {
                        throw new BadInputException("cells.jsonl must hold one cell per line, found an unreadable line in " + file
                                + " (" + Json.firstLine(e) + ")");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String key) {
        return cells.containsKey(key);
    }

    /** Every cell, in the order first written. */
    public List<Cell> cells() {
        return new ArrayList<>(cells.values());
    }

    /** Appends {@code cell} as one line in one write (unless its key is already present). */
    public synchronized void append(Cell cell) {
        if (cells.containsKey(cell.key())) {
            return;
        }
        byte[] line = (cell.json() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cells.put(cell.key(), cell);
    }
}
