package org.diffeo4j.verify;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ../shared/golden/deform file reproduces on the Java backend, 1 and 2 threads. */
class GoldenDeformTest {
    @TestFactory
    Stream<DynamicTest> everyDeformFileReproduces() {
        List<Path> files = SharedFiles.golden("deform");
        assertFalse(files.isEmpty(), "no deform reference files found");
        return files.stream().flatMap(p -> Stream.of(1, 2).map(threads -> DynamicTest.dynamicTest(
                p.getFileName() + " on java x" + threads, () -> {
                    ReferenceFile f = ReferenceFile.read(p);
                    try (JavaBackend b = new JavaBackend(threads)) {
                        List<Comparison> cs = DeformVerifier.verify(f, b);
                        assertTrue(cs.size() >= 5, "expected fields, 3 remaps and scalars, found " + cs.size());
                        for (Comparison c : cs) {
                            assertTrue(c.passed(), c.describe());
                        }
                    }
                })));
    }
}
