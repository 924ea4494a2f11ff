package org.diffeo4j.backend;

/**
 * Service-provider interface: each backend module lists its provider in
 * {@code META-INF/services/org.diffeo4j.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** Short name used on the command line. */
    String name();

    /** Preference when the user names none: higher first (cuda 30 > native 20 > java 10). */
    int priority();

    /** Whether the backend can run here, and if not, why, in one line. Must not throw. */
    Availability availability();

    /** Opens the backend; {@code threads} is the CPU thread count where that applies. */
    DiffeoBackend open(int threads);

    /**
     * @param reason why not, one line; empty when available
     * @param absent the hardware or driver it needs is simply not on this machine (no GPU): the
     *               ordinary state of a CPU machine, so {@code auto} passes over it without a notice
     */
    record Availability(boolean available, String reason, boolean absent) {
        public static Availability yes() {
            return new Availability(true, "", false);
        }

        /** Not available for a reason worth telling (kernels not built, a driver that fails). */
        public static Availability no(String reason) {
            return new Availability(false, reason, false);
        }

        /** Not available because what it runs on is not here (no GPU driver). */
        public static Availability absent(String reason) {
            return new Availability(false, reason, true);
        }
    }
}
