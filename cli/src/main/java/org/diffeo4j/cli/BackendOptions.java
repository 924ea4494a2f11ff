package org.diffeo4j.cli;

import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --backend} and {@code --threads}, shared by the subcommands that compute. */
final class BackendOptions {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "java, native, cuda or auto (best available: cuda > native > java). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    DiffeoBackend open(PrintWriter err) {
        int t = threads == null ? Backends.defaultThreads() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, found " + t);
        }
        return Backends.open(backend, t, note -> err.println("note: " + note));
    }

    int threadCount() {
        return threads == null ? Backends.defaultThreads() : threads;
    }
}
