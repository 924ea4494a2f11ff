package org.diffeo4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The bundled LeNet and digits, as files for the loaders that read paths. They are unpacked once
 * into the user's cache ({@code $XDG_CACHE_HOME/diffeo4j/bundled}, else
 * {@code ~/.cache/diffeo4j/bundled}, beside JavaCPP's cache) and reused, written to a temporary
 * name and renamed so a run killed even with SIGKILL leaves nothing half-written nor a folder per run
 * in the temporary directory. Only where the cache cannot be written does it fall back to a
 * temporary folder, removed when the run ends or is interrupted. Results never name these files:
 * messages say "the bundled digits", and the resume key hashes content.
 */
final class Bundled implements AutoCloseable {
    static final String MODEL = "lenet_visible.onnx";
    static final String IMAGES = "probes-images-idx3-ubyte.gz";
    static final String LABELS = "probes-labels-idx1-ubyte.gz";
    /** How results and messages name the bundled digits. */
    static final String DATA_NAME = "the bundled digits";

    private final Path dir;
    private final boolean temporary;
    private final Runnable onSignal = this::delete;

    Bundled() throws IOException {
        Path cache = cacheDir();
        boolean usable;
        try {
            Files.createDirectories(cache);
            usable = Files.isWritable(cache);
        } catch (IOException | SecurityException e) {
            usable = false;
        }
        temporary = !usable;
        dir = usable ? cache : Files.createTempDirectory("diffeo-bundled");
        if (temporary) {
            Interruption.onSignal(onSignal);
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("diffeo4j").resolve("bundled");
    }

    /** The path of bundled file {@code name}, unpacked if it is missing or differs from the jar's. */
    Path file(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = Bundled.class.getResourceAsStream("bundled/" + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + name + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        }
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p) && Files.size(p) == bytes.length && Arrays.equals(Files.readAllBytes(p), bytes)) {
            return p;
        }
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return p;
    }

    private void delete() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }

    @Override
    public void close() {
        Interruption.forget(onSignal);
        delete();
    }
}
