package org.diffeo4j.run;

import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one append-only journal of the project (JSON Lines): the finished cells of {@code measure}
 * ({@code stability.jsonl}), {@code stripe} ({@code stripe.jsonl}) and {@code study}
 * ({@code cells.jsonl}). One policy for every journal, after Optuna's journal storage:
 * <ul>
 * <li>An entry is one line, appended with a single write of the line and its newline and forced to
 * the disk ({@code fsync}) before {@link #append} returns: a kill leaves whole lines and at most one
 * line without its newline, the last.</li>
 * <li>A last line without its newline is torn: it is dropped when the journal is opened, and cut
 * off the file before the next append (never glued onto the next line). Opening alone writes
 * nothing, so a journal read by {@code --merge} or {@code --plot-only} is left as it is.</li>
 * <li>Every complete line must be an entry ({@code keyOf} gives its key); anything else before the
 * last line is not a torn write but a damaged file: opening fails, naming the file and the line.</li>
 * <li>Keys are unique: appending a key the journal holds is a bug of the caller, refused
 * ({@link RunFailedException}); resuming callers ask {@link #has} first. A key read twice with other
 * content fails the open; a byte-identical repeat (older logs appended a cell measured again) is the
 * same entry, read once.</li>
 * </ul>
 * The folder lock ({@link RunFolder}) makes one process the journal's only writer; within it
 * {@link #append} is synchronised.
 */
public final class Journal {
    private final Path file;
    private final Function<String, String> keyOf;
    /** Key to the file's line (from 1) that holds it, and to its place in {@link #lines}. */
    private final Map<String, Integer> lineOf = new LinkedHashMap<>();
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    /** Bytes of complete lines: what the file is cut to before the first append when a torn line follows them. */
    private long whole;
    private boolean torn;
    private int fileLines;

    private Journal(Path file, Function<String, String> keyOf) {
        this.file = file;
        this.keyOf = keyOf;
    }

    /**
     * Reads {@code file} (absent: an empty journal, created by the first append).
     *
     * @param keyOf the key of an entry's line; throws (any runtime exception) for a line that is not an entry
     * @throws BadInputException when a complete line is not an entry or repeats a key (the file and line are named)
     */
    public static Journal open(Path file, Function<String, String> keyOf) {
        Journal j = new Journal(file, keyOf);
        if (!Files.isRegularFile(file)) {
            return j;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("reading the journal " + file + " failed: " + FileProblems.reason(e), e));
        }
        int start = 0, number = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            number++;
            String line = new String(all, start, i - start, StandardCharsets.UTF_8);
            String key;
            try {
                key = j.key(line);
            } catch (RuntimeException e) {
                throw new BadInputException("journal " + file + " must hold one entry per line, found line " + number + " malformed ("
                        + firstLine(e) + "); only a last line without its newline is dropped as torn, so this file was damaged or "
                        + "written by something else: repair or remove that line");
            }
            Integer before = j.lineOf.putIfAbsent(key, number);
            if (before != null && !j.lines.get(j.index.get(key)).equals(line)) {
                throw new BadInputException("journal " + file + " must hold each key once, found line " + number + " repeating the key of line "
                        + before + " (" + key + ") with other content: remove one of the two lines");
            }
            if (before == null) { // a byte-identical repeat (logs before this journal appended a cell measured again) is the same entry
                j.index.put(key, j.lines.size());
                j.lines.add(line);
            }
            start = i + 1;
        }
        j.whole = start;
        j.fileLines = number;
        j.torn = start < all.length;
        return j;
    }

    /**
     * The whole lines in {@code file} (those with their newline), read without opening the journal: what a
     * signal handler reports as saved while the journal's writer may be mid-append. 0 when absent or unreadable.
     */
    public static long wholeLines(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            long n = 0;
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    n += buf[i] == '\n' ? 1 : 0;
                }
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    private String key(String line) {
        if (line.isBlank()) {
            throw new IllegalArgumentException("an empty line");
        }
        String k = keyOf.apply(line);
        if (k == null) {
            throw new IllegalArgumentException("no key");
        }
        return k;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Whether an entry with {@code key} is in the journal. */
    public synchronized boolean has(String key) {
        return lineOf.containsKey(key);
    }

    /** The entries' lines (without newlines), in the order written. */
    public synchronized List<String> lines() {
        return Collections.unmodifiableList(new ArrayList<>(lines));
    }

    /** How many entries the journal holds. */
    public synchronized int size() {
        return lines.size();
    }

    /** Whether opening found a torn last line (dropped, and cut off at the first append). */
    public synchronized boolean hadTornLine() {
        return torn;
    }

    /**
     * Appends {@code line} (one JSON object, no newline) as one write, and forces it to the disk.
     *
     * @throws RunFailedException when the journal already holds the line's key (a bug of the caller: keys are unique)
     * @throws IllegalArgumentException when {@code line} is not an entry or holds a newline (a bug of the caller)
     */
    public synchronized void append(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a journal entry must be one line, found a line break in " + line);
        }
        String key = key(line);
        Integer at = lineOf.get(key);
        if (at != null) {
            throw new RunFailedException("journal " + file + " already holds key " + key + " (line " + at
                    + "): a key is written once, so this is a bug of the run, not of the input");
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                org.diffeo4j.report.Files2.createDirectories(parent);
            }
            // never through a link (RunFolder refuses folders holding one; this is the second guard), never world-writable
            try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS), org.diffeo4j.report.Files2.fileAttributes())) {
                if (torn) { // the torn tail goes before anything is appended: it would glue onto this line
                    ch.truncate(whole);
                    torn = false;
                }
                long end = ch.size();
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    end += ch.write(b, end);
                }
                ch.force(false);
                whole = end;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("appending to the journal " + file + " failed: " + FileProblems.reason(e), e));
        }
        index.put(key, lines.size());
        lines.add(line);
        lineOf.put(key, ++fileLines);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
