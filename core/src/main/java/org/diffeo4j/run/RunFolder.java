package org.diffeo4j.run;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import org.diffeo4j.report.Figure;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.validate.BadInputException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * An output folder holding one run; every command that writes a folder goes through it. The rules
 * (README "Output folders"):
 * <ul>
 * <li>{@link #check} runs before any work: the folder is (or can be made) a writable folder with
 * room for the outputs; otherwise one bad-input error naming the option, nothing created.</li>
 * <li>{@link #open} takes the lock {@code .diffeo.lock}, which holds the holder's command, process id
 * and start: a second run into the folder is refused, naming them. It deletes temporary files of
 * killed runs and reads the manifest {@code .diffeo-run.json}. A manifest of a <em>replaceable</em> run
 * (measure, deform, phase, stripe) with another command or key has its listed files removed first,
 * so a folder never mixes two runs' files; a manifest of a kept run (train, study: hours of work) with
 * another command or key refuses the new run instead. Files diffeo did not write are never touched.</li>
 * <li>Outputs are written to temporary names ({@code .NAME.*.part}) and renamed together by
 * {@link #commit}; {@link #close} without a commit deletes them, as does a signal
 * ({@link Cleanups}). Runs whose outputs grow as they go (journals, training checkpoints) list them as
 * resumable: kept when the same run resumes.</li>
 * <li>Nothing is written through a symbolic link: a folder holding one anywhere inside it is refused
 * ({@link #refuseLinks}), the lock file is opened without following links, and every file is created
 * new (a temporary name, then a rename, which replaces a link rather than writing through it). Files
 * are created rw-r--r--, folders rwxr-xr-x, whatever the umask lets through: never world-writable.</li>
 * <li>The manifest says the state ({@code running}, {@code complete}), when the run started (the
 * command's real start) and finished, its files and its {@link Provenance}.</li>
 * </ul>
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = ".diffeo.lock";
    public static final String MANIFEST = ".diffeo-run.json";
    private static final Gson GSON = new Gson();

    /**
     * The manifest's content.
     *
     * @param started when the run's command started
     * @param finished when it committed (null until then)
     * @param replaceable false for a kept run, whose folder no other run replaces (null in manifests before it: true)
     * @param provenance the committed run's {@link Provenance#json()} (null until then)
     */
    public record Manifest(String command, String key, String state, String started, String finished, List<String> files, Boolean replaceable,
                           Map<String, Object> provenance) {
        /** Whether another run may replace this one's files. */
        public boolean replaceableRun() {
            return replaceable == null || replaceable;
        }
    }

    private final Path dir;
    private final String option;
    private final String command;
    private final String key;
    private final boolean replaceable;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, Path> pending = new LinkedHashMap<>();
    private final String started;
    private final List<String> kept = new ArrayList<>();
    private final Runnable onSignal = this::deleteTemporaries;
    private final boolean createdDir;
    private final boolean createdLock;
    private Manifest previous;
    private byte[] previousManifest;
    private boolean committed;
    private boolean closed;

    private RunFolder(Path dir, String option, String command, String key, boolean replaceable, Instant started, FileChannel channel,
                      FileLock lock, boolean createdDir, boolean createdLock) {
        this.dir = dir;
        this.option = option;
        this.command = command;
        this.key = key;
        this.replaceable = replaceable;
        this.started = started.toString();
        this.channel = channel;
        this.lock = lock;
        this.createdDir = createdDir;
        this.createdLock = createdLock;
    }

    /**
     * Checks {@code dir} without creating anything: a folder (or a path whose nearest existing
     * ancestor is one) where a file can be created, with {@code bytes} free.
     *
     * @param option the option that named the folder ("--out"), for messages
     */
    public static void check(Path dir, String option, long bytes) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new BadInputException(option + " must be a folder, found a file at " + dir);
        }
        if (Files.isDirectory(abs)) {
            refuseLinks(dir, option);
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new BadInputException(option + " must be a folder that can be created, found " + dir
                    + (existing == null ? " on no existing file system" : " under the file " + existing));
        }
        try {
            Path probe = Files.createTempFile(existing, ".diffeo-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new BadInputException(option + " must be a writable folder, found " + dir + " not writable (creating a file in "
                    + existing + ": " + (e instanceof java.nio.file.FileSystemException f ? FileProblems.why(f) : e.getMessage()) + ")");
        }
        try {
            FileStore store = Files.getFileStore(existing);
            long free = store.getUsableSpace();
            if (free < bytes) {
                throw new BadInputException(option + " must have " + mb(bytes) + " free for the outputs, found " + mb(free) + " free on " + dir);
            }
        } catch (IOException e) {
            // no file-store information (some network file systems): the writes themselves will tell
        }
    }

    /**
     * Creates and locks {@code dir} for a replaceable run of {@code command} identified by {@code key}
     * (the same key for runs whose files may stay together), started now.
     *
     * @param resumable files the run continues rather than rewrites (a journal), kept when the key matches
     */
    public static RunFolder open(Path dir, String option, String command, String key, List<String> resumable) {
        return open(dir, option, command, key, resumable, true, Instant.now());
    }

    /**
     * Creates and locks {@code dir} for a run of {@code command} identified by {@code key}.
     *
     * @param replaceable false for a kept run (train, study): a folder holding another kept run, or another
     *                    command's, is refused rather than replaced, and a kept run's folder is never replaced
     * @param started when the command started (the manifest's {@code started})
     * @throws BadInputException when the folder cannot be made, is locked by another run (named: command, process, start)
     *                           or holds a kept run of another command or key
     */
    public static RunFolder open(Path dir, String option, String command, String key, List<String> resumable, boolean replaceable,
                                 Instant started) {
        boolean createdDir = !Files.isDirectory(dir);
        if (!createdDir) {
            refuseLinks(dir, option);
        }
        try {
            Files2.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException(option + " must be a folder that can be created, found " + dir + " (" + FileProblems.reason(e) + ")");
        }
        FileChannel ch = null;
        RunFolder f = null;
        try {
            Path lockFile = dir.resolve(LOCK);
            boolean createdLock = !Files.exists(lockFile);
            ch = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS), Files2.fileAttributes());
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) { // held by this JVM
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new BadInputException(option + " must not be in use by another run, found " + dir + " locked by "
                        + (holder.isEmpty() ? "another diffeo run" : holder) + "; wait for it to finish or choose another folder");
            }
            ch.truncate(0);
            ch.write(StandardCharsets.UTF_8.encode(holder(command, started) + "\n"), 0);
            ch.force(false);
            f = new RunFolder(dir, option, command, key, replaceable, started, ch, lock, createdDir, createdLock);
            f.start(resumable);
            return f;
        } catch (IOException e) {
            if (f != null) {
                f.abandon();
            } else {
                closeQuietly(ch);
            }
            throw new BadInputException(option + " must be a writable folder, found " + dir + " (" + FileProblems.reason(e) + ")");
        } catch (RuntimeException e) {
            if (f != null) {
                f.abandon();
            } else {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    /**
     * Refuses a folder that holds a symbolic link anywhere inside it (the folder itself may be one): a
     * run would write, replace or delete through it, outside the folder the user named. Links are not
     * followed while looking.
     *
     * @throws BadInputException naming the first link found and where it points
     */
    public static void refuseLinks(Path dir, String option) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return; // not there (yet): nothing inside it
        }
        try (Stream<Path> s = Files.walk(real)) {
            Path link = s.filter(Files::isSymbolicLink).findFirst().orElse(null);
            if (link != null) {
                String to;
                try {
                    to = Files.readSymbolicLink(link).toString();
                } catch (IOException e) {
                    to = "(unreadable)";
                }
                throw new BadInputException(option + " must hold no symbolic link (diffeo never writes through one), found "
                        + real.relativize(link) + " -> " + to + " in " + dir + "; replace the link by the file or folder it points to, or choose another folder");
            }
        } catch (IOException | UncheckedIOException e) {
            // an unreadable corner: the lock and the writes themselves will tell
        }
    }

    /** What the lock file says about its holder: "diffeo study (process 4711, started 2026-12-08T06:00:00Z)". */
    static String holder(String command, Instant started) {
        return "diffeo " + command + " (process " + ProcessHandle.current().pid() + ", started " + started + ")";
    }

    private void start(List<String> resumable) throws IOException {
        try (Stream<Path> s = Files.list(dir)) { // temporaries of runs that were killed
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".part")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Path m = dir.resolve(MANIFEST);
        previousManifest = Files.isRegularFile(m) ? Files.readAllBytes(m) : null;
        Manifest old = manifest(dir);
        boolean same = old != null && command.equals(old.command()) && key.equals(old.key());
        if (old != null && !same && (!old.replaceableRun() || !replaceable)) {
            // hours of training are never removed to make room, and a kept run never takes over another run's folder
            throw new BadInputException(option + " must be a new folder or one holding this " + command + " run, found " + dir + " holding a diffeo "
                    + old.command() + " run" + (old.command().equals(command) ? " with other settings" : "") + " (its files are kept; choose another folder)");
        }
        if (old != null && !same) {
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
        writeManifest("running", kept, null);
        Cleanups.add(onSignal);
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The option that named the folder ("--out"). */
    public String option() {
        return option;
    }

    /** The manifest this run found in the folder when it was the same run (command and key), else null. */
    public Manifest previous() {
        return previous;
    }

    /** Queues {@code text} as file {@code name}, written now under a temporary name. */
    public void write(String name, String text) {
        try {
            Path tmp = temp(name);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** Queues {@code bytes} as file {@code name} (an NPY array), written now under a temporary name. */
    public void write(String name, byte[] bytes) {
        try {
            Files.write(temp(name), bytes);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /**
     * Queues every entry: a {@code String} as text, a {@code BufferedImage} as PNG, a {@link Figure}
     * as PNG with its SVG beside.
     */
    public void writeAll(Map<String, Object> files) {
        for (Map.Entry<String, Object> e : files.entrySet()) {
            if (e.getValue() instanceof BufferedImage bi) {
                writePng(e.getKey(), bi);
            } else if (e.getValue() instanceof Figure f) {
                writeFigure(e.getKey(), f);
            } else {
                write(e.getKey(), (String) e.getValue());
            }
        }
    }

    /** Queues a PNG. */
    public void writePng(String name, BufferedImage image) {
        try {
            // to the temporary file as created (rw-r--r--): ImageIO.write(File) deletes it and creates another under the umask
            try (java.io.OutputStream o = Files.newOutputStream(temp(name), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                if (!ImageIO.write(image, "png", o)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** Queues a figure: {@code name} (a .png) and the SVG beside it ({@link Figure#svgBeside}). */
    public void writeFigure(String name, Figure figure) {
        String svg = Figure.svgBeside(Path.of(name)).toString();
        try {
            Files.write(temp(name), figure.png());
            Files.writeString(temp(svg), figure.svg(), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw failure(name, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
    }

    /**
     * Lists {@code name} as one of the run's files without writing it here: a file or folder the run
     * writes atomically itself (a training's checkpoints, a study's figures).
     */
    public void record(String name) {
        if (!kept.contains(name)) {
            kept.add(name);
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
    public void commit() {
        commit(null);
    }

    /** As {@link #commit()}, with the run's provenance in the manifest. */
    public void commit(Provenance provenance) {
        List<String> files = new ArrayList<>(kept);
        Manifest old = previous;
        try {
            for (Map.Entry<String, Path> e : pending.entrySet()) {
                Files.move(e.getValue(), dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                if (!files.contains(e.getKey())) {
                    files.add(e.getKey());
                }
            }
            pending.clear();
            if (old != null && replaceable) { // same run again: drop what it wrote before and does not write now
                for (String name : old.files()) {
                    if (!files.contains(name) && !name.contains("/")) {
                        Files.deleteIfExists(dir.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            throw failure("outputs", e);
        }
        writeManifest("complete", files, provenance);
        committed = true;
    }

    private void writeManifest(String state, List<String> files, Provenance provenance) {
        try {
            String finished = state.equals("complete") ? Instant.now().toString() : null;
            Files2.writeString(dir.resolve(MANIFEST), StrictJson.pretty(new Manifest(command, key, state, started, finished, files, replaceable,
                    provenance == null ? null : provenance.json()), MANIFEST));
        } catch (IOException e) {
            throw failure(MANIFEST, e);
        }
    }

    /** The manifest of {@code dir}, or null when there is none or it is unreadable. */
    public static Manifest manifest(Path dir) {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            return null;
        }
        try {
            Manifest read = GSON.fromJson(Files.readString(m, StandardCharsets.UTF_8), Manifest.class);
            return read == null || read.files() == null || read.key() == null || read.command() == null ? null : read;
        } catch (IOException | JsonParseException e) {
            return null;
        }
    }

    private UncheckedIOException failure(String name, IOException e) {
        return new UncheckedIOException(new IOException("writing " + name + " to " + option + " " + dir + " failed: " + FileProblems.reason(e), e));
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

    /**
     * Undoes the claim of a run refused after {@link #open} (bad input found under the lock, an engine that
     * did not start): the manifest as it was, no lock file or folder that were not there, and releases
     * the lock. The run's own outputs, if it wrote any, are its caller's to remove.
     */
    public void abandon() {
        if (closed) {
            return;
        }
        deleteTemporaries();
        try {
            Path m = dir.resolve(MANIFEST);
            if (previousManifest != null) {
                Files2.writeBytes(m, previousManifest);
            } else {
                Files.deleteIfExists(m);
            }
        } catch (IOException e) {
            // the refusal is what the user needs to read; a manifest left "running" is replaced by the next run
        }
        release();
        try {
            if (createdLock) {
                Files.deleteIfExists(dir.resolve(LOCK));
            }
            if (createdDir) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        } catch (IOException e) {
            // best effort: an empty folder or lock file left behind holds no result
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!committed) {
            deleteTemporaries();
        }
        release();
    }

    private void release() {
        closed = true;
        Cleanups.remove(onSignal);
        try {
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel
        }
        closeQuietly(channel);
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
