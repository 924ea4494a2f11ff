package org.diffeo4j.spark;

import org.diffeo4j.data.Datasets;
import org.diffeo4j.train.study.StudyFile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The driver's side of getting a study's data and models to the executors (issue 16, item 3). Used
 * as the study file's {@link StudyFile.Locator}, it sees every location the file names:
 * <ul>
 * <li>a local path (relative to the study file's folder, as in a local run) is zipped, with the
 *     label file an IDX image file reads beside it or with the whole folder, into one archive the
 *     job ships ({@code SparkContext.addArchive}); the executors read the unpacked copy, so the data
 *     need not exist on their machines;</li>
 * <li>a URI with a scheme (hdfs://, s3a://, file:, ...) is read where it is, by every executor
 *     through Hadoop's file systems ({@link HadoopFetch}), and once by the driver for its checks and
 *     the summary; {@code file:} means a path present on every node (Spark's own meaning).</li>
 * </ul>
 */
final class Shipment implements AutoCloseable {
    private final Path base;
    private final Path staging;
    private final Map<String, String> hadoop;
    private final Map<String, Location> locations = new HashMap<>();
    private final Map<String, Path> local = new HashMap<>();
    private final List<Path> archives = new ArrayList<>();

    /**
     * @param base the study file's folder
     * @param hadoop the job's {@code spark.hadoop.*} properties, prefix removed
     */
    Shipment(Path base, Map<String, String> hadoop) throws IOException {
        this.base = base;
        this.hadoop = hadoop;
        this.staging = Files.createTempDirectory("diffeo-spark-");
    }

    /** The study file's locator on the driver: where the driver reads {@code text}, recording how executors will. */
    Path locate(String key, String text) {
        return local.computeIfAbsent(text, t -> {
            try {
                if (StudyFile.isUri(t)) {
                    locations.put(t, Location.uri(t));
                    java.net.URI u = java.net.URI.create(t);
                    return "file".equalsIgnoreCase(u.getScheme()) ? Path.of(u) : HadoopFetch.fetch(t, staging.resolve("uri-" + local.size()), hadoop);
                }
                Path p = base.resolve(t).normalize();
                if (Files.exists(p)) {
                    String name = "diffeo-data-" + archives.size() + ".zip";
                    Path zip = staging.resolve(name);
                    String inside = zip(p, zip);
                    archives.add(zip);
                    locations.put(t, Location.shipped(name, inside));
                }
                // A missing path is left to the study's own checks, which name it in their error.
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** How executors read each location, by its text in the study file. */
    Map<String, Location> locations() {
        return new HashMap<>(locations);
    }

    /** The archives to ship with the job. */
    List<Path> archives() {
        return List.copyOf(archives);
    }

    /** Zips {@code p} (a file with its label file, or a folder's content) into {@code zip}; returns the path inside the archive. */
    private static String zip(Path p, Path zip) throws IOException {
        try (OutputStream o = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(o)) {
            // Data sets are mostly gzip already: the fastest level, not the smallest archive.
            z.setLevel(Deflater.BEST_SPEED);
            if (Files.isDirectory(p)) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                        put(z, p.relativize(f).toString().replace('\\', '/'), f);
                    }
                }
                return "";
            }
            String name = p.getFileName().toString();
            put(z, name, p);
            String labels = Datasets.labelsName(name);
            if (labels != null && Files.isRegularFile(p.resolveSibling(labels))) {
                put(z, labels, p.resolveSibling(labels));
            }
            return name;
        }
    }

    private static void put(ZipOutputStream z, String name, Path f) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        Files.copy(f, z);
        z.closeEntry();
    }

    /** Deletes the staging folder (archives and driver copies of URIs). */
    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
