package org.diffeo4j.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Atomic writes: to a temporary file beside the target, then a rename, so nothing is half-written. */
public final class Files2 {
    private Files2() {
    }

    public static void writeString(Path path, String text) throws IOException {
        Path tmp = temp(path);
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        move(tmp, path);
    }

    public static void writeBytes(Path path, byte[] bytes) throws IOException {
        Path tmp = temp(path);
        Files.write(tmp, bytes);
        move(tmp, path);
    }

    public static void writePng(BufferedImage img, Path path) throws IOException {
        Path tmp = temp(path);
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer");
        }
        move(tmp, path);
    }

    private static Path temp(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + path.getFileName(), ".part");
    }

    private static void move(Path tmp, Path path) throws IOException {
        try {
            try { // createTempFile makes owner-only files; results are for everyone who reads the folder
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the default
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
