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
                assertFalse(cases.isEmpty(), p + " has no cases");
                for (StabilityVerifier.CaseCheck c : cases) {
                    StringBuilder why = new StringBuilder(p.getFileName() + " " + c.name() + ":");
                    c.comparisons().forEach(x -> why.append("\n  ").append(x.describe()));
                    assertTrue(c.passed(), why.toString());
                }
            }
        }
    }

    /** A reference D off by 0.1% (10x the tolerance) must fail, and only the D (and R) checks. */
    @Test
    void wrongReferenceFails() {
        ReferenceFile f = ReferenceFile.read(SharedFiles.golden("stability").get(0));
        com.google.gson.JsonObject c = f.json().getAsJsonArray("cases").get(0).getAsJsonObject();
        double d = c.get("D").getAsDouble();
        c.addProperty("D", d * 1.001);
        try (JavaBackend backend = new JavaBackend(2)) {
            StabilityVerifier.CaseCheck check = StabilityVerifier.verify(f, backend).get(0);
            assertFalse(check.passed());
            assertEquals(List.of("D"), check.comparisons().stream().filter(x -> !x.passed()).map(Comparison::what).toList());
        } finally {
            c.addProperty("D", d);
        }
    }
}
