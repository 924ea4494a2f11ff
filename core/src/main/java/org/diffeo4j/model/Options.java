package org.diffeo4j.model;

/**
 * What a model runtime is asked to run with, passed to {@link ModelProvider#load(java.nio.file.Path, Options)}
 * (DJL's {@code Criteria}: options travel with the request, not through global state). Every runtime
 * honours {@code threads}: ONNX Runtime as its intra-op pool (inter-op 1, sequential execution),
 * libtorch as its intra-op threads, ND4J as its OpenMP and BLAS threads. libtorch's and ND4J's
 * counts are process-wide by their nature (a setting of the native library, not of a session), so
 * their adapters set them from the options of each load, in one place each.
 *
 * @param threads CPU threads a forward may use, at least 1
 * @param verbose true to let the runtime's own log output through (ONNX Runtime's warnings); off it
 *                logs only fatal errors, since every failure reaches us as an exception anyway
 */
public record Options(int threads, boolean verbose) {
    /** The system property {@code --verbose} sets, read by {@link #defaults()}. */
    public static final String VERBOSE_PROPERTY = "diffeo4j.verbose";

    public Options {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
    }

    /** Every core, quiet unless the process was started with {@code --verbose} (property {@value #VERBOSE_PROPERTY}). */
    public static Options defaults() {
        return new Options(Runtime.getRuntime().availableProcessors(), Boolean.getBoolean(VERBOSE_PROPERTY));
    }

    /** {@code threads} threads, verbosity as {@link #defaults()}. */
    public static Options threads(int threads) {
        return new Options(threads, Boolean.getBoolean(VERBOSE_PROPERTY));
    }
}
