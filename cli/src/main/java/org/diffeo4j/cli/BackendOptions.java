package org.diffeo4j.cli;

import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --backend} and {@code --threads}, shared by the subcommands that compute. */
final class BackendOptions {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "java, native, cuda or auto (best available: cuda > native > java). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Mixin
    ThreadsOption threads;

    DiffeoBackend open(PrintWriter err) {
        return Backends.open(backend, threads.count(), note -> err.println("note: " + note));
    }

    int threadCount() {
        return threads.count();
    }
}
