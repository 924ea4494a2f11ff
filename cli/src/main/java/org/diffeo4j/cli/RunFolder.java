package org.diffeo4j.cli;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import org.diffeo4j.report.Figure;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StrictJson;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An output folder holding one run. The rules (README "Output folders"):
 * <ul>
 * <li>{@link #check} runs before any work: the folder is (or can be made) a writable folder with
 * room for the outputs; otherwise one {@code --out} error, exit 2, nothing created.</li>
 * <li>{@link #open} takes the lock {@code .diffeo.lock} (a second run into the folder refuses,
 * naming the process that holds it), deletes temporary files of killed runs, and reads the manifest
 * {@code .diffeo-run.json}. If the manifest names a run with another key (other command, data,
 * model or parameters), the files it lists are removed first: a folder never mixes two runs' files.
 * Files diffeo did not write are never touched.</li>
 * <li>Outputs are written to temporary names ({@code .NAME.*.part}) and renamed by {@link #commit};
 * {@link #close} without a commit deletes them.</li>
 * </ul>
 */
final class RunFolder implements AutoCloseable {
    static final String LOCK = ".diffeo.lock";
    static final String MANIFEST = ".diffeo-run.json";
    private static final Gson GSON = new Gson();

    /** The manifest's content: {@code started} when this run opened the folder, {@code finished} when it committed (null until then). */
    record Manifest(String command, String key, String state, String started, String finished, List<String> files) {
    }

    private final Path dir;
    private final String option;
    private final String command;
    private final String key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, Path> pending = new LinkedHashMap<>();
    private final String started = Instant.now().toString();
    private final List<String> kept = new ArrayList<>();
    private final Runnable onSignal = this::deleteTemporaries;
    private Manifest previous;
    private boolean committed;

    private RunFolder(Path dir, String option, String command, String key, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.option = option;
        this.command = command;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Checks {@code dir} without creating anything: a folder (or a path whose nearest existing
     * ancestor is one) where a file can be created, with {@code bytes} free.
     */
    static void check(Path dir, String option, long bytes) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException(option + " must be a folder, found a file at " + dir);
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " must be a folder that can be created, found " + dir
                    + (existing == null ? " on no existing file system" : " under the file " + existing));
        }
        try {
            Path probe = Files.createTempFile(existing, ".diffeo-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " must be a writable folder, found " + dir + " not writable (creating a file in "
                    + existing + ": " + (e instanceof FileSystemException f ? Errors.why(f) : e.getMessage()) + ")");
        }
        try {
            FileStore store = Files.getFileStore(existing);
            long free = store.getUsableSpace();
            if (free < bytes) {
                throw new IllegalArgumentException(option + " must have " + mb(bytes) + " free for the outputs, found " + mb(free)
                        + " free on " + dir);
            }
        } catch (IOException e) {
            // no file-store information (some network file systems): the writes themselves will tell
        }
    }

    /**
     * Creates and locks {@code dir} for a run of {@code command} identified by {@code key} (the same
     * key for runs whose files may stay together).
     *
     * @param resumable files the run continues rather than rewrites (the cell log), kept when the key matches
     */
    static RunFolder open(Path dir, String option, String command, String key, List<String> resumable) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " must be a folder that can be created, found " + dir + " (" + reason(e) + ")");
        }
        FileChannel ch = null;
        try {
            Path lockFile = dir.resolve(LOCK);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new IllegalArgumentException(option + " must not be in use by another run, found " + dir + " locked by "
                        + (holder.isEmpty() ? "another diffeo run" : holder) + "; wait for it to finish or choose another folder");
            }
            ch.truncate(0);
            ch.write(StandardCharsets.UTF_8.encode("diffeo " + command + " (process " + ProcessHandle.current().pid() + ")\n"), 0);
            RunFolder f = new RunFolder(dir, option, command, key, ch, lock);
            f.start(resumable);
            return f;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalArgumentException(option + " must be a writable folder, found " + dir + " (" + reason(e) + ")");
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void start(List<String> resumable) throws IOException {
        try (Stream<Path> s = Files.list(dir)) { // temporaries of runs that were killed
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".part")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Manifest old = manifest(dir);
        if (old != null && !(command.equals(old.command()) && key.equals(old.key()))) {
            for (String name : old.files()) { // another run's outputs: never mixed with this run's
                Path p = dir.resolve(name).normalize();
                if (p.getParent() != null && p.getParent().equals(dir.normalize())) {
                    Files.deleteIfExists(p);
                }
            }
        } else if (old != null) {
            previous = old;
            old.files().stream().filter(resumable::contains).forEach(kept::add);
        }
        for (String r : resumable) {
            if (!kept.contains(r)) {
                kept.add(r);
            }
        }
        writeManifest("running", kept);
        Interruption.onSignal(onSignal);
    }

    /** The folder. */
    Path dir() {
        return dir;
    }

    /** Queues {@code text} as file {@code name}, written now under a temporary name. */
    void write(String name, String text) {
        try {
            Path tmp = temp(name);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /**
     * Queues every entry: a {@code String} as text, a {@code BufferedImage} as PNG, a {@link Figure}
     * as PNG with its SVG beside (what deform and its --augment samples collect).
     */
    void writeAll(java.util.Map<String, Object> files) {
        for (java.util.Map.Entry<String, Object> e : files.entrySet()) {
            if (e.getValue() instanceof BufferedImage bi) {
                writePng(e.getKey(), bi);
            } else if (e.getValue() instanceof Figure f) {
                writeFigure(e.getKey(), f);
            } else {
                write(e.getKey(), (String) e.getValue());
            }
        }
    }

    /** Queues {@code bytes} as file {@code name} (an NPY array), written now under a temporary name. */
    void write(String name, byte[] bytes) {
        try {
            Files.write(temp(name), bytes);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** Queues a PNG. */
    void writePng(String name, BufferedImage image) {
        try {
            if (!ImageIO.write(image, "png", temp(name).toFile())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** Queues a figure: {@code name} (a .png) and the SVG beside it ({@link Figure#svgBeside}). */
    void writeFigure(String name, Figure figure) {
        String svg = Figure.svgBeside(Path.of(name)).toString();
        try {
            Files.write(temp(name), figure.png());
            Files.writeString(temp(svg), figure.svg(), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw failure(name, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
    }

    private Path temp(String name) throws IOException {
        Path old = pending.remove(name);
        if (old != null) {
            Files.deleteIfExists(old);
        }
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".part");
        try { // createTempFile makes owner-only files; results are for everyone who reads the folder
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        pending.put(name, tmp);
        return tmp;
    }

    /** Renames every queued file to its name and records the run as complete in the manifest. */
    void commit() {
        List<String> files = new ArrayList<>(kept);
        Manifest old = previous;
        try {
            for (Map.Entry<String, Path> e : pending.entrySet()) {
                Files.move(e.getValue(), dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                files.add(e.getKey());
            }
            pending.clear();
            if (old != null) { // same run again: drop what it wrote before and does not write now
                for (String name : old.files()) {
                    if (!files.contains(name) && !name.contains("/")) {
                        Files.deleteIfExists(dir.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            throw failure("outputs", e);
        }
        writeManifest("complete", files);
        committed = true;
    }

    private void writeManifest(String state, List<String> files) {
        try {
            String finished = state.equals("complete") ? Instant.now().toString() : null;
            Files2.writeString(dir.resolve(MANIFEST), StrictJson.pretty(new Manifest(command, key, state, started, finished, files), MANIFEST));
        } catch (IOException e) {
            throw failure(MANIFEST, e);
        }
    }

    /** The manifest of {@code dir}, or null when there is none or it is unreadable. */
    static Manifest manifest(Path dir) {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            return null;
        }
        try {
            Manifest read = GSON.fromJson(Files.readString(m, StandardCharsets.UTF_8), Manifest.class);
            return read == null || read.files() == null || read.key() == null ? null : read;
        } catch (IOException | JsonParseException e) {
            return null;
        }
    }

    private UncheckedIOException failure(String name, IOException e) {
        return new UncheckedIOException(new IOException("writing " + name + " to " + option + " " + dir + " failed: " + reason(e), e));
    }

    private void deleteTemporaries() {
        for (Path p : pending.values()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
        pending.clear();
    }

    @Override
    public void close() {
        Interruption.forget(onSignal);
        if (!committed) {
            deleteTemporaries();
        }
        try {
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel
        }
        closeQuietly(channel);
    }

    static String reason(IOException e) {
        return e instanceof FileSystemException f ? Errors.fileProblem(f) : String.valueOf(e.getMessage());
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
