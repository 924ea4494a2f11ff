package org.diffeo4j.stability;

/**
 * Wall time spent in each phase of the protocol, accumulated over a run, in nanoseconds. Not
 * thread-safe: one per measurement.
 */
public final class Timings {
    long deform, noise, transfer, forward, statistics;

    public double deformSeconds() {
        return deform / 1e9;
    }

    public double noiseSeconds() {
        return noise / 1e9;
    }

    /** Copies of the deformed and noisy images from the backend's memory to the heap (0 on CPU backends). */
    public double transferSeconds() {
        return transfer / 1e9;
    }

    public double forwardSeconds() {
        return forward / 1e9;
    }

    public double statisticsSeconds() {
        return statistics / 1e9;
    }

    public double totalSeconds() {
        return (deform + noise + transfer + forward + statistics) / 1e9;
    }
}
