package org.diffeo4j.cpu;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native backend is found through ServiceLoader, ranks above java, and opens by name and by auto. */
class NativeProviderTest {
    @Test
    void serviceLoaderFindsNativeAboveJava() {
        List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertEquals(List.of("native", "java"), names, "providers found on the test class path, best first");
        BackendProvider p = Backends.providers().get(0);
        assertEquals(20, p.priority());
    }

    @Test
    void autoAndNamedOpenTheNativeBackend() {
        NativeLibrary.assumeLoaded();
        List<String> notices = new ArrayList<>();
        try (DiffeoBackend b = Backends.open("auto", 2, notices::add)) {
            assertEquals("native", b.name());
            assertTrue(b.device().contains("2 thread(s)"), b.device());
        }
        assertEquals(List.of(), notices);
        try (DiffeoBackend b = Backends.open("native", 1, notices::add)) {
            assertEquals("native", b.name());
        }
    }

    @Test
    void availabilityIsOneLine() {
        BackendProvider.Availability a = new NativeBackendProvider().availability();
        assertTrue(!a.reason().contains("\n"), "reason must be one line: " + a.reason());
        assertEquals(a.available(), a.reason().isEmpty());
    }
}
