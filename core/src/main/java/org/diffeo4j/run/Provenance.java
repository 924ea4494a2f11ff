package org.diffeo4j.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a result comes from, one record for every command (after Tribuo's {@code ModelProvenance}):
 * the versions of the engine and its runtimes, the backend and device that deformed, the training
 * engine, threads, seeds, the inputs with their SHA-256, and when the command started (its real start,
 * taken by {@link #start}) and finished. A command adds what only it has (probes, timings, cells reused)
 * as {@code details}. Every command writes it the same way, {@link #json()}, under {@code "provenance"}
 * in its JSON output and in the run folder's manifest.
 *
 * @param versions component to version: {@code diffeo4j} and {@code java} always, then runtimes ("model_runtime")
 * @param backend the deformation backend's name, or null when the command deforms nothing
 * @param engine the training engine ("DJL 0.36.0 / PyTorch 2.7.1 ..."), or null
 * @param threads the threads the command was given, or null
 * @param inputs input name ("model", "data", "train") to where it was read and its SHA-256
 * @param details the command's own values, written after the common ones (values Gson serialises: numbers, strings, lists, maps)
 */
public record Provenance(String command, Map<String, String> versions, String backend, String device, String engine, Integer threads,
                         List<Long> seeds, Map<String, Input> inputs, Instant started, Instant finished, Map<String, Object> details) {
    /**
     * An input of the run.
     *
     * @param file where it was read, as given (or "bundled:...")
     * @param sha256 lower-case hex SHA-256 of its content (what the run's results depend on), or null
     * @param description what it is ("[2000, 1, 28, 28]", a model's description), or null
     */
    public record Input(String file, String sha256, String description) {
    }

    public Provenance {
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        seeds = List.copyOf(seeds);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** This engine's version: the jar's Implementation-Version, or the build's when run from classes. */
    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** Starts the record of a run of {@code command} now: call it first thing, so that {@code started} is the real start. */
    public static Builder start(String command) {
        return new Builder(command, Instant.now());
    }

    /** Starts the record of a run of {@code command} that started at {@code started}. */
    public static Builder start(String command, Instant started) {
        return new Builder(command, started);
    }

    /** Seconds from start to finish. */
    public double seconds() {
        return Duration.between(started, finished).toNanos() / 1e9;
    }

    /** The input called {@code name}, or null. */
    public Input input(String name) {
        return inputs.get(name);
    }

    /**
     * The record as written in every JSON output: {@code command}, {@code versions}, {@code backend},
     * {@code device}, {@code engine}, {@code threads}, {@code seeds}, {@code inputs} {name: {file,
     * sha256, description}}, {@code started}, {@code finished}, {@code seconds} (absent values null),
     * then the details.
     */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("versions", versions);
        m.put("backend", backend);
        m.put("device", device);
        m.put("engine", engine);
        m.put("threads", threads);
        m.put("seeds", seeds);
        Map<String, Object> in = new LinkedHashMap<>();
        inputs.forEach((name, i) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", i.file());
            o.put("sha256", i.sha256());
            o.put("description", i.description());
            in.put(name, o);
        });
        m.put("inputs", in);
        m.put("started", started.toString());
        m.put("finished", finished.toString());
        m.put("seconds", seconds());
        details.forEach(m::putIfAbsent);
        return m;
    }

    /** Collects a run's provenance as it goes; {@link #finish} stamps the end. Not thread-safe. */
    public static final class Builder {
        private final String command;
        private final Instant started;
        private final Map<String, String> versions = new LinkedHashMap<>();
        private final List<Long> seeds = new ArrayList<>();
        private final Map<String, Input> inputs = new LinkedHashMap<>();
        private final Map<String, Object> details = new LinkedHashMap<>();
        private String backend;
        private String device;
        private String engine;
        private Integer threads;

        private Builder(String command, Instant started) {
            this.command = command;
            this.started = started;
            versions.put("diffeo4j", Provenance.version());
            versions.put("java", Runtime.version().toString());
        }

        /** When the run started. */
        public Instant started() {
            return started;
        }

        /** The command. */
        public String command() {
            return command;
        }

        public Builder version(String component, String version) {
            versions.put(component, version);
            return this;
        }

        public Builder backend(String name, String device) {
            this.backend = name;
            this.device = device;
            return this;
        }

        public Builder engine(String engine) {
            this.engine = engine;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder seed(long seed) {
            if (!seeds.contains(seed)) {
                seeds.add(seed);
            }
            return this;
        }

        public Builder input(String name, String file, String sha256, String description) {
            inputs.put(name, new Input(file, sha256, description));
            return this;
        }

        /** A value only this command has; {@code value} is anything Gson serialises. */
        public Builder detail(String name, Object value) {
            details.put(name, value);
            return this;
        }

        /** The record, finished now (a builder may finish several times: a training rewrites its record each epoch). */
        public Provenance finish() {
            return new Provenance(command, versions, backend, device, engine, threads, seeds, inputs, started, Instant.now(), details);
        }
    }
}
