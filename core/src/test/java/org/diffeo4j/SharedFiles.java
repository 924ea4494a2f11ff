package org.diffeo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates ../shared (reference vectors, data, models) for tests: the {@code diffeo4j.shared}
 * property set by the build, else {@code ../shared} from the working directory or its parent.
 */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** The shared folder; where it is missing, the test is skipped saying so (failed in CI: {@link Preconditions}). */
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
        Preconditions.require(false, "../shared (reference vectors) not found beside the checkout; looked in " + candidates);
        throw new IllegalStateException("unreachable: require(false) skips or fails");
    }

    /**
     * The project's own generated test models, tools/testdata (written by tools/make_torch_models.py
     * and committed): the {@code diffeo4j.testdata} property set by the build, else found from the
     * working directory. They are part of the checkout, so their absence fails instead of skipping.
     */
    public static Path testData() {
        String prop = System.getProperty("diffeo4j.testdata");
        Path p = prop != null ? Paths.get(prop) : Paths.get("").toAbsolutePath().resolve("../tools/testdata");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("tools/testdata must be in the checkout, found no folder at " + p);
        }
        return p.normalize();
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
