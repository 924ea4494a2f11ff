package org.diffeo4j.backend;

import org.diffeo4j.validate.BadInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Finds the backends on the class path and opens the one asked for, or the best available. */
public final class Backends {
    private Backends() {
    }

    /** Every provider found, best first; always includes {@code java}. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        if (list.stream().noneMatch(p -> p.name().equals(JavaBackend.NAME))) {
            list.add(new JavaBackend.Provider());
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The names a user may give: {@code auto} and every provider's name. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        n.add("auto");
        providers().forEach(p -> n.add(p.name()));
        return n;
    }

    /**
     * Opens backend {@code name}, or with {@code auto} the first available of cuda > native > java.
     * A named backend that cannot run is an error saying why; with {@code auto} each one skipped is
     * reported once to {@code notices}, in one line, unless
     * its hardware is simply absent ({@link BackendProvider.Availability#absent}).
     */
    public static DiffeoBackend open(String name, int threads, Consumer<String> notices) {
        String want = name == null ? "auto" : name.toLowerCase(Locale.ROOT);
        List<BackendProvider> all = providers();
        if (!want.equals("auto")) {
            BackendProvider p = all.stream().filter(q -> q.name().equals(want)).findFirst()
                    .orElseThrow(() -> new BadInputException("backend must be one of " + names() + ", found '" + name + "'"));
            BackendProvider.Availability a = p.availability();
            if (!a.available()) {
                throw new BadInputException("backend " + want + " is not available: " + a.reason());
            }
            return p.open(threads);
        }
        for (BackendProvider p : all) {
            BackendProvider.Availability a = p.availability();
            if (a.available()) {
                return p.open(threads);
            }
            if (!a.absent()) { // a machine without a GPU is no news; a GPU backend that fails is
                notices.accept("backend " + p.name() + " not available (" + a.reason() + "); trying the next");
            }
        }
        throw new IllegalStateException("no backend available"); // unreachable: java always is
    }

    /** Default thread count: every core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
