package org.diffeo4j.cpu;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.backend.TwinHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twin harness over every backend registered on this module's class path (java and native,
 * found through ServiceLoader), plus native's generic (non-SIMD) kernels.
 */
class NativeTwinHarnessTest {
    @Test
    void everyRegisteredBackendEveryOperationEveryShape() {
        NativeLibrary.assumeLoaded();
        List<DiffeoBackend> backends = new ArrayList<>();
        try {
            for (BackendProvider p : Backends.providers()) {
                if (p.availability().available()) {
                    backends.add(p.open(2));
                }
            }
            assertTrue(backends.stream().anyMatch(b -> b.name().equals("native")), "native must be registered");
            backends.add(new NativeBackend(2, 0)); // the generic kernels
            int checks = TwinHarness.run(backends, TwinHarness.SHAPES);
            System.out.println(TwinHarness.describe(backends, TwinHarness.SHAPES, checks));
            assertEquals(TwinHarness.expected(backends.size(), TwinHarness.SHAPES), checks);
        } finally {
            backends.forEach(DiffeoBackend::close);
        }
    }
}
