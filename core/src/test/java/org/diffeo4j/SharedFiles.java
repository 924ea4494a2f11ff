package org.diffeo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Locates ../shared (reference vectors, data, models) for tests: the {@code diffeo4j.shared}
 * property set by the build, else {@code ../shared} from the working directory or its parent.
 */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** The shared folder, or a failed assumption saying it is missing. */
    public static Path root() {
        String prop = System.getProperty("diffeo4j.shared");
        List<Path> candidates = new java.util.ArrayList<>();
        if (prop != null) {
            candidates.add(Paths.get(prop));
        }
        Path cwd = Paths.get("").toAbsolutePath();
        candidates.add(cwd.resolve("../shared"));
        candidates.add(cwd.resolve("../../shared"));
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("golden"))) {
                return p.normalize();
            }
        }
        assumeTrue(false, "../shared (reference vectors) not found beside the checkout; looked in " + candidates);
        return null;
    }

    /** Every file under {@code golden/<kind>}, sorted. */
    public static List<Path> golden(String kind) {
        try (Stream<Path> s = Files.list(root().resolve("golden").resolve(kind))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
