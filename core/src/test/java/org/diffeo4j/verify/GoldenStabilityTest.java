package org.diffeo4j.verify;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every case of every ../shared/golden/stability file: deno, D, G, R within 1e-4 relative. */
class GoldenStabilityTest {
    @Test
    void replaysEveryCase() {
        List<Path> files = SharedFiles.golden("stability");
        assertFalse(files.isEmpty(), "no stability reference files");
        try (JavaBackend backend = new JavaBackend(2)) {
            for (Path p : files) {
                List<StabilityVerifier.CaseCheck> cases = StabilityVerifier.verify(ReferenceFile.read(p), backend);
                assertEquals(4, cases.size(), p + " cases");
                for (StabilityVerifier.CaseCheck c : cases) {
                    StringBuilder why = new StringBuilder(p.getFileName() + " " + c.name() + ":");
                    c.comparisons().forEach(x -> why.append("\n  ").append(x.describe()));
                    assertTrue(c.passed(), why.toString());
                }
            }
        }
    }
}
