package org.diffeo4j.cpu;

import org.diffeo4j.backend.BackendProvider;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opens the native backend for a test, or skips the test with the reason the library did not load. */
final class NativeLibrary {
    private NativeLibrary() {
    }

    /** A failed assumption carrying the provider's one-line reason when the library is absent. */
    static void assumeLoaded() {
        BackendProvider.Availability a = new NativeBackendProvider().availability();
        assumeTrue(a.available(), () -> "native library not loaded, test skipped: " + a.reason());
    }

    static NativeBackend open(int threads, int simd) {
        assumeLoaded();
        return new NativeBackend(threads, simd);
    }

    /** The SIMD levels this CPU can run: generic always, AVX2 where present. */
    static int[] simdLevels() {
        assumeLoaded();
        return DiffeoNative.diffeo_simd_level() == 2 ? new int[]{0, 2} : new int[]{0};
    }
}
