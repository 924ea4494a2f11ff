package org.diffeo4j;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outside CI a missing precondition skips with its reason; in CI it fails; a missing GPU always skips. */
class PreconditionsTest {
    @Test
    void aMissingPreconditionSkipsOutsideCi() {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> Preconditions.require(false, false, () -> "../shared not found"));
        assertTrue(e.getMessage().contains("../shared not found"), e.getMessage());
    }

    @Test
    void aMissingPreconditionFailsInCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Preconditions.require(true, false, () -> "g++ is not on the PATH"));
        assertTrue(e.getMessage().contains("g++ is not on the PATH") && e.getMessage().contains("CI=true"), e.getMessage());
    }

    @Test
    void aPreconditionThatHoldsLetsTheTestRunInBothModes() {
        assertDoesNotThrow(() -> Preconditions.require(false, true, () -> { throw new AssertionError("reason built needlessly"); }));
        assertDoesNotThrow(() -> Preconditions.require(true, true, () -> { throw new AssertionError("reason built needlessly"); }));
    }

    /** The GPU rule does not depend on the mode: without a GPU the test is skipped, saying why. */
    @Test
    void aMissingGpuAlwaysSkips() {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> Preconditions.gpu(false, "no CUDA driver"));
        assertTrue(e.getMessage().contains("no CUDA driver") && e.getMessage().contains("GPU"), e.getMessage());
        assertDoesNotThrow(() -> Preconditions.gpu(true, "unused"));
    }

    /** The mode is read from the environment the build passes on to the test JVM (.ci/run exports CI=true). */
    @Test
    void theModeIsTheEnvironments() {
        assertEquals("true".equalsIgnoreCase(System.getenv("CI")), Preconditions.inCi());
    }
}
