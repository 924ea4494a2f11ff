package org.diffeo4j.spark;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonParser;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.diffeo4j.report.Files2;
import org.diffeo4j.train.study.Cell;
import org.diffeo4j.run.Journal;
import org.diffeo4j.run.RunFailedException;
import org.diffeo4j.train.study.StudyEngine;
import org.diffeo4j.train.study.StudyFile;
import org.diffeo4j.train.study.StudyRunner;
import scala.Tuple2;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@code diffeo study FILE --out DIR --engine spark [--master URL]} (issue 16): the driver reads and
 * checks the study and the folder exactly as a local run does ({@link StudyRunner#open}: it holds the folder's lock until the
 * summary is written), then
 * submits each unit still missing from cells.jsonl as one single-task Spark job. As each job
 * finishes, the driver writes the unit's run files under DIR/runs/ and then appends its cells, so a
 * driver killed at any moment leaves whole cells and a rerun computes only the rest; a task lost with
 * its executor is retried by Spark ({@code spark.task.maxFailures}) and its cells are appended once
 * (the job's result arrives once, and only the keys cells.jsonl does not hold yet are appended).
 *
 * <p>One job per unit rather than one job over all units: Spark hands a job's results to the driver
 * only when the whole job ends, except through Scala-only callbacks, and the per-job result limit
 * ({@code spark.driver.maxResultSize}) then bounds one unit's files instead of the whole grid's.
 * Jobs run side by side as executor cores allow (FIFO scheduling, one task each).
 */
public final class SparkStudyEngine implements StudyEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Outcome run(Job job, StudyRunner.Listener listener) throws Exception {
        Path file = job.studyFile();
        String json;
        try {
            json = Files.readString(file);
        } catch (java.io.IOException e) {
            throw new BadInputException("study FILE must be a readable JSON file, found " + file + " ("
                    + (e instanceof java.nio.file.FileSystemException f ? org.diffeo4j.run.FileProblems.why(f) : e.getMessage()) + ")");
        }
        SparkConf conf = conf(job);
        Map<String, String> hadoop = new HashMap<>();
        for (Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) {
            hadoop.put(kv._1(), kv._2());
        }
        try (Shipment ship = new Shipment(file.toAbsolutePath().getParent(), hadoop)) {
            StudyFile study = StudyFile.parse(json, ship::locate, file.toString());
            try (StudyRunner runner = new StudyRunner(study, job.out(), job.threads(), job.notes()).extend(job.extend())) {
                runner.open(); // the folder stays locked until the summary is written
                List<StudyFile.Unit> all = study.units(), pending = runner.pending();
                int computed = pending.isEmpty() ? 0 : compute(job, conf, new UnitTask(json, file.toString(), ship.locations(), hadoop, job.threads()),
                        ship, runner, all, pending, listener, runner::abandon);
                return new Outcome(computed, all.size(), runner.summarise());
            }
        }
    }

    /** Submits one job per pending unit and writes their results as they arrive; returns the units computed. */
    private static int compute(Job job, SparkConf conf, UnitTask task, Shipment ship, StudyRunner runner, List<StudyFile.Unit> all,
                               List<StudyFile.Unit> pending, StudyRunner.Listener listener, Runnable unclaim) throws Exception {
        Map<StudyFile.Unit, Integer> position = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            position.put(all.get(i), i);
        }
        job.notes().accept(String.format(Locale.ROOT, "spark: %d of %d units to compute on %s (%d thread(s) per task)", pending.size(),
                all.size(), conf.get("spark.master"), job.threads()));
        try (JavaSparkContext sc = start(conf, unclaim)) {
            for (Path a : ship.archives()) {
                sc.sc().addArchive(a.toString());
            }
            List<JavaFutureAction<List<UnitResult>>> jobs = new ArrayList<>();
            for (StudyFile.Unit u : pending) {
                sc.setJobDescription(StudyRunner.describe(u));
                jobs.add(sc.parallelize(List.of(position.get(u)), 1).map(task).collectAsync());
            }
            return collect(jobs, all, runner, job.out(), listener, sc, job);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("stopped SparkContext")) {
                throw new RunFailedException("spark: the application was stopped by its master (the master became unreachable or "
                        + "refused it); the finished units are in " + runner.cellsFile() + " and a rerun computes the rest", e);
            }
            throw e;
        }
    }

    /**
     * The Spark context, or (a master that does not answer, a context that does not start) {@code unclaim} run
     * ({@link StudyRunner#abandon}: a run that could not start Spark computed nothing, so it leaves nothing, as
     * bad input does) and the failure thrown.
     */
    private static JavaSparkContext start(SparkConf conf, Runnable unclaim) {
        try {
            requireMaster(conf.get("spark.master"));
            return new JavaSparkContext(conf);
        } catch (RuntimeException | Error e) {
            unclaim.run();
            throw e;
        }
    }

    /**
     * Fails fast, with one line, when no master of a spark://HOST:PORT[,HOST:PORT] URL accepts a
     * connection: Spark itself would retry silently for a minute and then report a stopped context.
     */
    static void requireMaster(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        for (String hp : master.substring("spark://".length()).split(",")) {
            int colon = hp.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))), 5000);
                return;
            } catch (java.io.IOException | RuntimeException e) {
                // try the next master of a high-availability list
            }
        }
        throw new RunFailedException("spark: no master answers at " + master + " (start it, or check --master)");
    }

    /** Writes each finished unit as its job ends (whatever the order); the first failed job cancels the rest. */
    private static int collect(List<JavaFutureAction<List<UnitResult>>> jobs, List<StudyFile.Unit> all, StudyRunner runner, Path out,
                               StudyRunner.Listener listener, JavaSparkContext sc, Job job) throws Exception {
        long start = System.nanoTime();
        boolean warned = false;
        Journal cells = Cell.journal(runner.cellsFile());
        List<JavaFutureAction<List<UnitResult>>> open = new ArrayList<>(jobs);
        int done = 0;
        while (!open.isEmpty()) {
            boolean progressed = false;
            for (var it = open.iterator(); it.hasNext(); ) {
                JavaFutureAction<List<UnitResult>> f = it.next();
                if (!f.isDone()) {
                    continue;
                }
                it.remove();
                progressed = true;
                UnitResult r;
                try {
                    r = f.get().get(0);
                } catch (ExecutionException e) {
                    sc.cancelAllJobs();
                    throw new RunFailedException("spark: a unit failed after Spark's retries (" + firstLine(e.getCause()) + "); the "
                            + done + " unit(s) finished are in " + runner.cellsFile() + " and a rerun computes the rest", e.getCause());
                }
                // Files first, cells last: a driver killed in between recomputes the unit and overwrites the files.
                for (Map.Entry<String, byte[]> e : r.files().entrySet()) {
                    Files2.writeBytes(out.resolve(e.getKey().replace('/', File.separatorChar)), e.getValue());
                }
                List<Cell> unit = new ArrayList<>();
                for (String line : r.cells()) {
                    unit.add(Cell.of(JsonParser.parseString(line).getAsJsonObject()));
                }
                Cell.appendMissing(cells, unit);
                done++;
                listener.cell(done, jobs.size(), String.format(Locale.ROOT, "%s: done on executor %s in %.1f s", StudyRunner.describe(all.get(r.unit())),
                        r.executor(), r.seconds()));
            }
            if (!progressed) {
                // Spark's own warning ("Initial job has not accepted any resources") goes to its log, which is off.
                if (!warned && done == 0 && System.nanoTime() - start > 60e9 && sc.sc().statusTracker().getExecutorInfos().length <= 1) {
                    job.notes().accept("spark: no executor has joined after 60 s: does a worker offer " + sc.getConf().get("spark.executor.cores")
                            + " core(s) and " + sc.getConf().get("spark.executor.memory") + " of memory per executor?");
                    warned = true;
                }
                Thread.sleep(200);
            }
        }
        return done;
    }

    /**
     * The job's configuration: Spark's own sources first ({@code spark.*} system properties,
     * spark-submit's), then {@code --master}, then defaults that only fill what is unset.
     */
    static SparkConf conf(Job job) {
        SparkConf conf = new SparkConf().setAppName("diffeo study " + job.studyFile().getFileName());
        if (job.master() != null) {
            conf.setMaster(job.master());
        }
        // No master anywhere: this JVM, one unit at a time (an executor trains one unit at a time, see UnitTask).
        conf.setIfMissing("spark.master", "local[" + job.threads() + "]");
        // A task trains with the study's intra-op threads, so it takes that many cores, and an executor is
        // sized for exactly one task: a worker with more cores runs several executors side by side.
        conf.setIfMissing("spark.task.cpus", Integer.toString(job.threads()));
        conf.setIfMissing("spark.executor.cores", Integer.toString(job.threads()));
        // MNIST's 60,000 training images are 188 MB as floats, held with their subset and test set.
        conf.setIfMissing("spark.executor.memory", "2g");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        String master = conf.get("spark.master");
        if (isLocal(master)) {
            // Everything runs in this JVM: nothing needs to be reachable from another machine. Spark's
            // defaults would bind the RPC and block-manager endpoints to the host's address and the web
            // UI to 0.0.0.0:4040, all without authentication (issue 21, item 8). Loopback only, no UI;
            // -Dspark.ui.enabled=true (or spark-submit's --conf) still turns the UI on, then on loopback too.
            conf.setIfMissing("spark.driver.host", LOOPBACK);
            conf.setIfMissing("spark.driver.bindAddress", LOOPBACK);
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (!isLocal(master) && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            // Started from a checkout (not spark-submit): executors on this machine, or on nodes that see the
            // checkout at the same path, load the classes where the driver does. Elsewhere, use spark-submit
            // (docs/study.md), which ships the application jar.
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return conf;
    }

    private static final String LOOPBACK = "127.0.0.1";

    /** local, local[N], local[*], local[N,F]: the driver and its one executor are this JVM. */
    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    private static String firstLine(Throwable t) {
        String m = t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
