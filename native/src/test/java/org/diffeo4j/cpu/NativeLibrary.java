package org.diffeo4j.cpu;

import org.diffeo4j.backend.BackendProvider;
import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the native backend for a test, or skips the test with the reason the library did not load
 * (g++ missing at build time); in CI a missing library fails instead ({@link org.diffeo4j.Preconditions}).
 */
final class NativeLibrary {
    private NativeLibrary() {
    }

    /** A skip (in CI a failure) carrying the provider's one-line reason when the library is absent. */
    static void assumeLoaded() {
        BackendProvider.Availability a = new NativeBackendProvider().availability();
        org.diffeo4j.Preconditions.require(a.available(), () -> "native library not loaded, test skipped: " + a.reason());
    }

    static NativeBackend open(int threads, int simd) {
        assumeLoaded();
        return new NativeBackend(threads, simd);
    }

    /** The SIMD levels this CPU can run (generic always, AVX2 where present); none without the library. */
    static int[] simdLevels() {
        if (!new NativeBackendProvider().availability().available()) {
            return new int[0];
        }
        return DiffeoNative.diffeo_simd_level() == 2 ? new int[]{0, 2} : new int[]{0};
    }

    /**
     * The tests of a factory, or, without the library, one test that is skipped with the reason:
     * an assumption failing inside a factory would hide every test instead of showing one skip.
     */
    static Stream<DynamicTest> orSkipped(List<DynamicTest> tests) {
        return tests.isEmpty() ? Stream.of(DynamicTest.dynamicTest("native backend", NativeLibrary::assumeLoaded))
                : tests.stream();
    }
}
