package org.diffeo4j.run;

import org.diffeo4j.validate.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's one policy: a torn last line is dropped and cut off before the next append; anything else malformed fails; keys are unique. */
class RunStoreJournalTest {
    @TempDir
    Path dir;

    /** Entries {"key": "k<i>", "v": ...}; the key is the "key" field. */
    static Journal open(Path f) {
        return Journal.open(f, line -> {
            if (!line.startsWith("{\"key\": \"") || !line.endsWith("}")) {
                throw new IllegalArgumentException("not an entry: " + line);
            }
            return line.substring(9, line.indexOf('"', 9));
        });
    }

    static String entry(int i) {
        return "{\"key\": \"k" + i + "\", \"v\": \"" + "é".repeat(i % 3) + i + "\"}";
    }

    @Test
    void aLastLineCutAtAnyByteIsDroppedAndTheNextAppendFollowsWholeLines() throws IOException {
        Path f = dir.resolve("cells.jsonl");
        Journal j = open(f);
        for (int i = 0; i < 3; i++) {
            j.append(entry(i));
        }
        byte[] whole = Files.readAllBytes(f);
        List<Integer> ends = new ArrayList<>(); // the offset after each newline
        for (int i = 0; i < whole.length; i++) {
            if (whole[i] == '\n') {
                ends.add(i + 1);
            }
        }
        assertEquals(3, ends.size());
        for (int cut = 0; cut <= whole.length; cut++) {
            Path g = dir.resolve("cut" + cut + ".jsonl");
            Files.write(g, Arrays.copyOf(whole, cut));
            int complete = 0;
            while (complete < ends.size() && ends.get(complete) <= cut) {
                complete++;
            }
            Journal r = open(g);
            assertEquals(complete, r.size(), "entries of a file cut at byte " + cut);
            assertEquals(cut > (complete == 0 ? 0 : ends.get(complete - 1)), r.hadTornLine(), "torn at " + cut);
            assertArrayEquals(Arrays.copyOf(whole, cut), Files.readAllBytes(g), "opening alone writes nothing (cut at " + cut + ")");
            for (int i = 0; i < 3; i++) {
                assertEquals(i < complete, r.has("k" + i), "key k" + i + " at cut " + cut);
            }
            String next = complete < 3 ? entry(complete) : entry(9);
            r.append(next);
            String expected = new String(whole, 0, complete == 0 ? 0 : ends.get(complete - 1), StandardCharsets.UTF_8) + next + "\n";
            assertEquals(expected, Files.readString(g), "the complete lines and the new one, cut at byte " + cut);
            assertEquals(complete + 1, open(g).size());
        }
    }

    @Test
    void aMalformedLineBeforeTheLastFailsNamingFileAndLine() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, entry(0) + "\n" + "{\"key\": \"k1\", \"v\": " + "\n" + entry(2) + "\n");
        BadInputException e = assertThrows(BadInputException.class, () -> open(f));
        assertTrue(e.getMessage().contains("journal " + f) && e.getMessage().contains("line 2 malformed"), e.getMessage());
        Files.writeString(f, entry(0) + "\n\n" + entry(2) + "\n");
        assertTrue(assertThrows(BadInputException.class, () -> open(f)).getMessage().contains("line 2 malformed (an empty line)"));
    }

    @Test
    void keysAreUnique() throws IOException {
        Path f = dir.resolve("keys.jsonl");
        Journal j = open(f);
        j.append(entry(0));
        RunFailedException e = assertThrows(RunFailedException.class, () -> j.append(entry(0)));
        assertTrue(e.getMessage().contains("already holds key k0 (line 1)"), e.getMessage());
        assertEquals(1, Files.readAllLines(f).size(), "the refused line is not written");
        Files.writeString(f, entry(1) + "\n" + entry(0) + "\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of(entry(0), entry(1)), open(f).lines(), "a byte-identical repeat is the same entry");
        Files.writeString(f, "{\"key\": \"k1\", \"v\": \"other\"}\n", java.nio.file.StandardOpenOption.APPEND);
        BadInputException read = assertThrows(BadInputException.class, () -> open(f));
        assertTrue(read.getMessage().contains("line 4 repeating the key of line 2 (k1) with other content"), read.getMessage());
        Journal again = open(dir.resolve("keys2.jsonl"));
        again.append(entry(0));
        again.append(entry(1));
        assertTrue(assertThrows(RunFailedException.class, () -> again.append(entry(1))).getMessage().contains("(line 2)"), "line numbers count appends");
        assertThrows(IllegalArgumentException.class, () -> open(dir.resolve("other.jsonl")).append("{\"key\": \"a\"}\n{\"key\": \"b\"}"));
    }

    @Test
    void anAbsentJournalIsEmptyAndCreatedByTheFirstAppend() throws IOException {
        Path f = dir.resolve("sub/new.jsonl");
        Journal j = open(f);
        assertEquals(0, j.size());
        assertFalse(Files.exists(f), "opening creates nothing");
        j.append(entry(4));
        assertEquals(List.of(entry(4)), open(f).lines());
    }
}
