package org.diffeo4j.cpu;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.DiffeoBackend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** ServiceLoader entry of the native backend: priority 20 (cuda 30 > native 20 > java 10). */
public final class NativeBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return NativeBackend.NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    /** Loads the library; any failure (no linux-x86_64 library, wrong glibc, ...) becomes the one-line reason. */
    @Override
    public Availability availability() {
        return Status.AVAILABILITY;
    }

    @Override
    public DiffeoBackend open(int threads) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("backend native is not available: " + a.reason());
        }
        return new NativeBackend(threads);
    }

    /** The reason the build left the library out (check-gxx.sh's NOT_BUILT.txt), or null. */
    static String notBuilt() {
        try (InputStream in = NativeBackendProvider.class.getResourceAsStream("NOT_BUILT.txt")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "NOT_BUILT.txt unreadable: " + e.getMessage();
        }
    }

    /** Tries the load once per class loader; the answer cannot change while the JVM runs. */
    private static final class Status {
        static final Availability AVAILABILITY = probe();

        private static Availability probe() {
            String notBuilt = notBuilt();
            if (notBuilt != null) { // built without g++: nothing to load, and auto passes over it silently
                return Availability.absent("native library not built: " + notBuilt + " (install g++ and rebuild)");
            }
            try {
                DiffeoNative.load();
                DiffeoNative.diffeo_simd_level();
                return Availability.yes();
            } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
                String m = t.getMessage();
                Throwable c = t.getCause();
                if ((m == null || m.isBlank()) && c != null) {
                    m = c.getMessage();
                }
                String line = (m == null ? "" : m).replaceAll("\\s+", " ").trim();
                return Availability.no("native library did not load on " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + ": " + t.getClass().getSimpleName()
                        + (line.isEmpty() ? "" : " " + line));
            }
        }
    }
}
