package org.diffeo4j.onnx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Removes the folder ONNX Runtime's Java binding extracts its native libraries into
 * ({@code java.io.tmpdir/onnxruntime-java…}) when the JVM exits.
 *
 * <p>Why: {@code ai.onnxruntime.OnnxRuntime.init} marks each extracted library and then the folder
 * with {@code File.deleteOnExit}, and the JDK deletes in the reverse order of marking — the folder
 * first, while it still holds the libraries, so the delete fails and every process left one empty
 * folder behind (156 of them in a day here). The libraries are mapped by then, and unlinking a mapped
 * file on Linux is safe, so an ordinary shutdown hook (which runs before the delete-on-exit list)
 * deletes the folder's files and then the folder. The folder is read from the binding's private
 * static {@code tempDirectory}; should a later ONNX Runtime rename it, nothing is cleaned and nothing
 * fails (the leak is cosmetic).
 */
final class OrtTempFolder {
    private static boolean registered;

    private OrtTempFolder() {
    }

    /** Registers the clean-up once; call after the ONNX Runtime environment exists. */
    static synchronized void cleanAtExit() {
        if (registered) {
            return;
        }
        registered = true;
        Path folder = extractionFolder();
        if (folder != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "diffeo4j-ort-temp"));
        }
    }

    /** The folder ONNX Runtime extracted into, or null when it extracted nowhere or cannot be read. */
    static Path extractionFolder() {
        try {
            java.lang.reflect.Field f = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            f.setAccessible(true);
            return f.get(null) instanceof Path p && p.getFileName().toString().startsWith("onnxruntime-java") ? p : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Deletes the folder's regular files (never following a link) and then the folder. */
    static void delete(Path folder) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // best effort at exit: what is left is what ONNX Runtime would have left anyway
        }
    }
}
