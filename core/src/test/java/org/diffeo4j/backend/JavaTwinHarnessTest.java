package org.diffeo4j.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The twin harness on the Java backend with several threads, against the single-thread reference. */
class JavaTwinHarnessTest {
    @Test
    void everyOperationOnEveryShape() {
        try (JavaBackend b = new JavaBackend(3)) {
            List<DiffeoBackend> backends = List.of(b);
            int checks = TwinHarness.run(backends, TwinHarness.SHAPES);
            System.out.println(TwinHarness.describe(backends, TwinHarness.SHAPES, checks));
            assertEquals(TwinHarness.expected(1, TwinHarness.SHAPES), checks);
            assertEquals(6, TwinHarness.operations().size(), "draw, synthesizeInto, remapInto, deformInto, addNoiseInto, squaredDistances");
        }
    }
}
