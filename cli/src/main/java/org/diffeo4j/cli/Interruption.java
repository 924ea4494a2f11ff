package org.diffeo4j.cli;

import org.diffeo4j.run.Cleanups;

/**
 * SIGINT and SIGTERM. A run that can stop cleanly ({@code measure}) polls {@link #check} between
 * realisations: the cells already logged stay, it says how to resume, cleans its temporary files
 * and exits 130 or 143. Other commands are not worth finishing: the handler deletes their
 * registered temporary files and exits at once. A second signal always exits at once.
 */
final class Interruption {
    /** Thrown by {@link #check} once a signal has arrived. */
    static final class Stopped extends RuntimeException {
        final int exitCode;

        Stopped(int exitCode) {
            super("stopped by signal", null, false, false);
            this.exitCode = exitCode;
        }
    }

    private static volatile int exitCode;
    private static volatile boolean stoppable;

    private Interruption() {
    }

    /** Handles INT and TERM in this JVM (only {@code main} calls it: tests keep the default handlers). */
    static void install() {
        try {
            handle("INT", DiffeoCli.EXIT_SIGINT);
            handle("TERM", DiffeoCli.EXIT_SIGTERM);
        } catch (LinkageError | IllegalArgumentException e) {
            // no sun.misc.Signal in this runtime: the JVM's default (shutdown hooks, exit 130/143) remains
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Interruption::cleanUp, "diffeo-cleanup"));
    }

    private static void handle(String name, int code) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signalled(code));
    }

    private static void signalled(int code) {
        boolean second = exitCode != 0;
        exitCode = code;
        if (second || !stoppable) {
            cleanUp();
            System.exit(code);
        }
    }

    /** Marks the current run as one that polls {@link #check} and stops between steps. */
    static void stoppable(boolean value) {
        stoppable = value;
    }

    /** Throws {@link Stopped} once a signal has arrived. */
    static void check() {
        int c = exitCode;
        if (c != 0) {
            throw new Stopped(c);
        }
    }

    /** Runs {@code action} (deleting temporary files, saying what was saved) if the process is ended by a signal. */
    static void onSignal(Runnable action) {
        Cleanups.add(action);
    }

    /** Forgets {@code action} (the run cleaned up itself). */
    static void forget(Runnable action) {
        Cleanups.remove(action);
    }

    /** Every registered action, the run folders' deletion of their temporary files included ({@link Cleanups}). */
    private static void cleanUp() {
        Cleanups.runAll();
    }
}
