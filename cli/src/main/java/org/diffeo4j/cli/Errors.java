package org.diffeo4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import org.diffeo4j.run.FileProblems;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/**
 * Error text for people: one line, no Java exception names. Input errors keep their
 * "x must be ..., found ..." message; failures of the run (IO, runtimes) say what failed and why.
 */
final class Errors {
    private Errors() {
    }

    /** One line describing {@code e}. */
    static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String text;
        if (t instanceof FileSystemException f) {
            text = fileProblem(f);
        } else if (t instanceof OutOfMemoryError) {
            text = "out of memory (" + t.getMessage() + "); give the JVM more with DIFFEO_JAVA_OPTS=-Xmx..., or use fewer --probes";
        } else if (t.getMessage() == null || t.getMessage().isBlank()) {
            text = "internal error with no message; rerun with --verbose for the stack trace";
        } else {
            text = t.getMessage();
        }
        // Runtimes and parsers quote their own exceptions ("(java.io.EOFException: End of input ...)"):
        // the class names mean nothing to a user, the text after them does.
        return JAVA_EXCEPTION.matcher(text.replace('\n', ' ').replace('\r', ' ')).replaceAll("").strip();
    }

    private static final java.util.regex.Pattern JAVA_EXCEPTION =
            java.util.regex.Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b(?:: )?");

    /** "file operation failed on PATH: reason" for the file-system failures whose own messages are just a path. */
    static String fileProblem(FileSystemException f) {
        return FileProblems.describe(f);
    }

    /**
     * Names the argument as the user typed it: a message "cut must be ..." from a record or
     * backend becomes "--cut must be ..." when the command has a {@code --cut} option, so every
     * message of a command names its options the same way.
     */
    static String withOption(String message, CommandSpec command) {
        int space = message.indexOf(' ');
        if (space <= 0 || message.startsWith("-")) {
            return message;
        }
        String word = message.substring(0, space);
        for (OptionSpec o : command.options()) {
            for (String n : o.names()) {
                if (n.equals("--" + word)) {
                    return "--" + message;
                }
            }
        }
        return message;
    }
}
