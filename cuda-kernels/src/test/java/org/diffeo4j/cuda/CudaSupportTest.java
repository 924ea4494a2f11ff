package org.diffeo4j.cuda;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection without a GPU: one clean line, the same every time, and auto falls through to the next backend. */
class CudaSupportTest {
    @Test
    void availabilityIsOneLineAndStable() {
        BackendProvider.Availability first = CudaBackend.availability(), again = CudaBackend.availability();
        assertEquals(first, again);
        if (!first.available()) {
            assertFalse(first.reason().isBlank());
            assertFalse(first.reason().contains("\n"), first.reason());
            assertTrue(first.reason().length() < 300, first.reason());
        }
    }

    @Test
    void providerIsRegisteredFirst() {
        BackendProvider top = Backends.providers().get(0);
        assertEquals("cuda", top.name());
        assertTrue(Backends.names().contains("cuda"));
    }

    @Test
    void withoutAGpuNamingCudaSaysWhyAndAutoFallsThrough() {
        BackendProvider.Availability a = CudaBackend.availability();
        if (a.available()) {
            return; // a GPU machine: GpuTwinTest covers it
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda", 1, s -> { })); // the user asked for it: bad input, exit 2
        assertTrue(e.getMessage().startsWith("backend cuda is not available: "), e.getMessage());
        assertThrows(IllegalStateException.class, () -> CudaBackend.open(0));
        List<String> notices = new ArrayList<>();
        try (DiffeoBackend b = Backends.open("auto", 1, notices::add)) {
            assertNotEquals("cuda", b.name());
        }
        // no driver here is the ordinary state of a CPU machine: no notice; anything else is worth one line
        long said = notices.stream().filter(n -> n.startsWith("backend cuda not available")).count();
        assertEquals(a.absent() ? 0 : 1, said, notices.toString());
    }

    @Test
    void kernelsAreInTheJarWhereNvccBuiltThem() {
        var missing = Kernels.missing();
        if (missing.isPresent()) {
            assertTrue(missing.get().startsWith("kernels not built"), missing.get());
            assertTrue(CudaBackend.availability().reason().startsWith("kernels not built"));
        } else {
            for (String m : Kernels.MODULES) {
                assertTrue(Kernels.fatbin(m).length > 1000, m);
                assertTrue(new String(Kernels.ptx(m), java.nio.charset.StandardCharsets.US_ASCII).contains(".entry diffeo_" + m), m);
            }
        }
    }

}
