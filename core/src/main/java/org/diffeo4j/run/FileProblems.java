package org.diffeo4j.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Words for people about a failed file operation: the JDK's own messages are often only a path. */
public final class FileProblems {
    private FileProblems() {
    }

    /** "file operation failed on PATH: reason" for a file-system failure. */
    public static String describe(FileSystemException f) {
        return "file operation failed on " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + why(f);
    }

    /** The reason alone: "permission denied", "Read-only file system", ... */
    public static String why(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        } else if (f instanceof NoSuchFileException) {
            return "no such file or folder";
        } else if (f instanceof FileAlreadyExistsException) {
            return "a file is already there";
        } else if (f instanceof NotDirectoryException) {
            return "not a folder";
        } else if (f instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return f.getReason() == null ? "file system error" : f.getReason();
    }

    /** {@link #describe} for a file-system failure, else the exception's message. */
    public static String reason(IOException e) {
        return e instanceof FileSystemException f ? describe(f) : String.valueOf(e.getMessage());
    }
}
