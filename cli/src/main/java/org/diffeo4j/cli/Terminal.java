package org.diffeo4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so the progress display may redraw a line in place. */
final class Terminal {
    private Terminal() {
    }

    /**
     * On Linux, file descriptor 2 links to {@code /dev/pts/*} or {@code /dev/tty*} when it is a
     * terminal. {@code System.console()} alone is not enough: it only looks at stdin and stdout, so
     * {@code 2>log} on a terminal would get carriage-return redraws in the log file.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null && System.getenv("TERM") != null;
        }
    }
}
