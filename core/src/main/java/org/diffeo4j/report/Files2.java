package org.diffeo4j.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Atomic writes: to a temporary file beside the target, then a rename, so nothing is half-written.
 * Every file and folder the run store creates is created here or by {@link org.diffeo4j.run.RunFolder},
 * with explicit permissions (files rw-r--r--, folders rwxr-xr-x: the umask can only take bits away, so
 * a run under umask 000 creates nothing world-writable), and never through a symbolic link (a new file
 * is created exclusively; a rename replaces a link, it does not write through it).
 */
public final class Files2 {
    private Files2() {
    }

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** The attribute of a new file: rw-r--r-- (none where the file system is not POSIX). */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
                : new FileAttribute<?>[0];
    }

    /** {@link Files#createDirectories}, each folder it creates rwxr-xr-x. */
    public static Path createDirectories(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /**
     * A new file at {@code file} (what was there, a symbolic link included, is deleted first, never written
     * through), rw-r--r--, for a writer that then renames it into place.
     */
    public static OutputStream newFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        Set<OpenOption> o = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return Channels.newOutputStream(Files.newByteChannel(file, o, fileAttributes()));
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
        // to the temporary file as created: ImageIO.write(File) deletes it and creates another under the umask
        try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            if (!ImageIO.write(img, "png", o)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, path);
    }

    private static Path temp(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        createDirectories(dir);
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
