package org.diffeo4j.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.Function;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.train.study.Cell;
import org.diffeo4j.train.study.StudyFile;
import org.diffeo4j.train.study.StudyRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Spark task: computes the unit at a position of the study's canonical order on an executor,
 * exactly as a local run computes it ({@link StudyRunner#compute}), in a scratch folder of the
 * executor that is deleted afterwards; it writes nothing else and returns its cells and run files.
 * The study travels as its JSON text and is parsed again here, its locations mapped to the
 * executor's copies ({@link Location}), so both sides see the same units in the same order.
 * The runner passes the study's thread count to every runtime before anything trains or is measured
 * (libtorch's reductions depend on it, and the same count is what makes the cells equal to a local run's).
 */
final class UnitTask implements Function<Integer, UnitResult> {
    private static final long serialVersionUID = 1L;
    /**
     * One unit at a time per JVM: two DJL trainings at once in one process fail ("a leaf Variable that
     * requires grad is being used in an in-place operation", seen with local[2]), and libtorch's thread
     * count is per process anyway. Executors should have as many cores as a task takes (the engine's
     * default spark.executor.cores = spark.task.cpus = threads), so this lock never waits there.
     */
    private static final Object ONE_AT_A_TIME = new Object();
    /** Data sets this executor has read, by local path, for its next units (MNIST's training set takes ~1 s to decode). */
    private static final Map<Path, org.diffeo4j.data.LabeledImages> DATA = new HashMap<>();

    private final String studyJson;
    private final String source;
    private final HashMap<String, Location> locations;
    private final HashMap<String, String> hadoop;
    private final int threads;

    UnitTask(String studyJson, String source, Map<String, Location> locations, Map<String, String> hadoop, int threads) {
        this.studyJson = studyJson;
        this.source = source;
        this.locations = new HashMap<>(locations);
        this.hadoop = new HashMap<>(hadoop);
        this.threads = threads;
    }

    @Override
    public UnitResult call(Integer position) throws IOException {
        synchronized (ONE_AT_A_TIME) {
            return compute(position);
        }
    }

    private UnitResult compute(int position) throws IOException {
        long t0 = System.nanoTime();
        StudyFile study = StudyFile.parse(studyJson, this::locate, source);
        StudyFile.Unit u = study.units().get(position);
        Path root = Files.createTempDirectory(scratch(), "diffeo-unit-");
        try {
            StudyRunner runner = new StudyRunner(study, root, threads, note -> { }, null, DATA);
            List<String> cells = new ArrayList<>();
            try (DiffeoBackend backend = Backends.open(study.measure().backend(), threads, note -> { })) {
                for (Cell c : runner.compute(u, backend, StudyRunner.Listener.silent())) {
                    cells.add(c.json().toString());
                }
            }
            return new UnitResult(position, cells, files(root), (System.nanoTime() - t0) / 1e9, executor());
        } finally {
            delete(root);
        }
    }

    /** Where this executor reads a location of the study file. */
    private Path locate(String key, String text) {
        Location loc = locations.get(text);
        if (loc == null) {
            throw new IllegalStateException(key + " " + text + " was not shipped by the driver");
        }
        if (loc.uri() == null) {
            return Path.of(SparkFiles.get(loc.archive())).resolve(loc.inside());
        }
        return fetched(loc.uri());
    }

    /** A URI copied once per executor (tasks of one executor share it), into its Spark work folder. */
    private Path fetched(String uri) {
        synchronized (UnitTask.class) {
            try {
                Path dir = scratch().resolve("diffeo-uri-" + java.util.UUID.nameUUIDFromBytes(uri.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                Path done = dir.resolve(".done");
                if (!Files.isRegularFile(done)) {
                    delete(dir);
                    Path copy = HadoopFetch.fetch(uri, dir, hadoop);
                    Files.writeString(done, copy.getFileName().toString());
                }
                return dir.resolve(Files.readString(done));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The executor's work folder (where Spark put the archives), or the temporary folder outside Spark. */
    private static Path scratch() {
        String root = SparkFiles.getRootDirectory();
        return root == null || root.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(root);
    }

    private static String executor() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "?" : env.executorId();
    }

    /** The run's files but the checkpoint, by '/'-separated path relative to {@code root}. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path runs = root.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(runs)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                if (!f.getFileName().toString().equals("checkpoint.bin")) {
                    files.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }
        return files;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
