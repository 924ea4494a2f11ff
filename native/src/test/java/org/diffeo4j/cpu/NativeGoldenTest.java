package org.diffeo4j.cpu;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.DeformVerifier;
import org.diffeo4j.verify.ReferenceFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ../shared/golden/deform file reproduces on the native backend: each SIMD level, 1 and 2 threads. */
class NativeGoldenTest {
    @TestFactory
    Stream<DynamicTest> everyDeformFileReproduces() {
        List<Path> files = SharedFiles.golden("deform");
        assertFalse(files.isEmpty(), "no deform reference files found");
        List<DynamicTest> tests = new ArrayList<>();
        for (int simd : NativeLibrary.simdLevels()) {
            for (int threads : new int[]{1, 2}) {
                for (Path p : files) {
                    tests.add(DynamicTest.dynamicTest(p.getFileName() + " on native simd " + simd + " x" + threads, () -> {
                        ReferenceFile f = ReferenceFile.read(p);
                        try (NativeBackend b = NativeLibrary.open(threads, simd)) {
                            List<Comparison> cs = DeformVerifier.verify(f, b);
                            assertTrue(cs.size() >= 5, "expected fields, 3 remaps and scalars, found " + cs.size());
                            for (Comparison c : cs) {
                                assertTrue(c.passed(), c.describe());
                            }
                        }
                    }));
                }
            }
        }
        return NativeLibrary.orSkipped(tests);
    }
}
