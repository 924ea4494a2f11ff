package org.diffeo4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test of every module skips only through {@link Preconditions} (which fails instead in CI):
 * no JUnit assumption, no {@code @Disabled}, no OS or property condition anywhere else, so that a new
 * skip cannot make CI green by not running.
 */
class SkipsGoThroughPreconditionsTest {
    static final Pattern SKIP = Pattern.compile("Assumptions|assumeTrue|assumeFalse|assumingThat|org\\.junit\\.Assume|TestAbortedException"
            + "|@Disabled|@EnabledOn|@DisabledOn|@EnabledIf|@DisabledIf|@EnabledFor|@DisabledFor");

    @Test
    void noTestSkipsAroundPreconditions() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // surefire runs in the module's folder
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("core/src/test/java")),
                "the reactor's root must be the parent of " + Path.of("").toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/")
                    && !p.toString().contains("/target/")).toList()) {
                files++;
                String name = f.getFileName().toString();
                if (name.equals("Preconditions.java") || name.equals("PreconditionsTest.java") || name.equals("SkipsGoThroughPreconditionsTest.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (SKIP.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(files > 100, "expected the test sources of every module, found " + files + " files under " + root);
        assertTrue(found.isEmpty(), "skip through org.diffeo4j.Preconditions.require (or .gpu), found:\n" + String.join("\n", found));
    }
}
