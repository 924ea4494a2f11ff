package org.diffeo4j;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way a test says it cannot run here. Every precondition of a test goes through
 * {@link #require}: where it does not hold, the test is skipped with the reason, visibly — except in
 * CI (environment variable {@code CI=true}, set by {@code .ci/run} and by CI services), where a missing
 * precondition (../shared, g++, the native library, Linux's /proc) fails the test: CI must not go
 * green by skipping. A GPU is the one precondition CI cannot be asked for: {@link #gpu} always skips,
 * saying so.
 */
public final class Preconditions {
    /** The environment variable CI services set to {@code true}. */
    public static final String CI_VARIABLE = "CI";

    private Preconditions() {
    }

    /** True when running in CI ({@code CI=true} in the environment). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv(CI_VARIABLE));
    }

    /** Skips the calling test with {@code reason} where {@code condition} is false; in CI, fails it. */
    public static void require(boolean condition, String reason) {
        require(inCi(), condition, () -> reason);
    }

    /** As {@link #require(boolean, String)}, the reason built only when needed. */
    public static void require(boolean condition, Supplier<String> reason) {
        require(inCi(), condition, reason);
    }

    /**
     * The rule with the mode given ({@code ci}: fail, else skip), so that both modes can be tested in
     * one process (a test cannot set its own environment).
     */
    static void require(boolean ci, boolean condition, Supplier<String> reason) {
        if (condition) {
            return;
        }
        if (ci) {
            Assertions.fail("precondition missing in CI (" + CI_VARIABLE + "=true; a skip would hide it): " + reason.get());
        }
        Assumptions.abort("skipped: " + reason.get());
    }

    /**
     * A test that depends on whether this machine has a GPU: skipped with {@code reason} where
     * {@code condition} is false, in CI too (CI machines have none; docs/gpu-runbook.md runs them).
     */
    public static void gpu(boolean condition, String reason) {
        gpu(condition, () -> reason);
    }

    /** As {@link #gpu(boolean, String)}, the reason built only when needed. */
    public static void gpu(boolean condition, Supplier<String> reason) {
        if (!condition) {
            Assumptions.abort("GPU test skipped (in CI too): " + reason.get());
        }
    }

    /** {@link #require(boolean, Supplier)} with the condition computed lazily (for conditions that cost). */
    public static void require(BooleanSupplier condition, Supplier<String> reason) {
        require(inCi(), condition.getAsBoolean(), reason);
    }
}
