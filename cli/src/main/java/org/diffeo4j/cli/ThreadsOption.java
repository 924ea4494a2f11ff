package org.diffeo4j.cli;

import org.diffeo4j.backend.Backends;
import org.diffeo4j.validate.Checks;
import picocli.CommandLine.Option;

/** {@code --threads}, the same option (default: every core) in every command that computes. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "CPU threads. Default: all cores.")
    Integer threads;

    /** The thread count asked for, or every core. */
    int count() {
        int t = threads == null ? Backends.defaultThreads() : threads;
        return Checks.requireAtLeast("--threads", 1, t);
    }
}
