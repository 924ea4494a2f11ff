package org.diffeo4j.spark;

import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.train.study.Shard;
import org.diffeo4j.train.study.ShardFolder;
import org.diffeo4j.train.study.StudyFile;
import org.diffeo4j.train.study.StudyRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 16's acceptance on a real multi-process cluster: a Spark standalone master and two workers
 * (one core each), each a child JVM on the loopback interface, run a study through the command line
 * (the driver a third child JVM); once the first cell is in, one executor process is killed. Spark
 * retries the lost task on a new executor, and the output must hold every cell exactly once and
 * equal, line for line (up to order), the same study run locally and as two shards merged, with a
 * byte-identical summary.json. Training data travel two ways at once: the training set as a plain
 * path (zipped and shipped with the job), the test set as a file: URI (read by every executor through
 * Hadoop's file system). The workers find their Spark jars in a SPARK_HOME laid out like a
 * distribution (RELEASE and jars/), linked to this test's class path.
 */
class SparkClusterTest {
    @TempDir
    static Path dir;
    private static final List<Process> started = new ArrayList<>();

    @Test
    void localShardsAndClusterWithAKilledExecutorGiveTheSameCells() throws Exception {
        org.diffeo4j.Preconditions.require(Files.isDirectory(Path.of("/proc/self")), "finding the executor processes to kill reads /proc (Linux only)");
        Path mnist = SharedFiles.root().resolve("data/mnist");
        Path study = dir.resolve("cluster.json");
        // 8 units of a second or two each: enough for an executor to die while others are pending.
        Files.writeString(study, """
                {"name": "spark-cluster",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", "lenet"], "train_sizes": [128, 512], "seeds": [0, 1],
                 "training": {"epochs": 2, "batch": 32, "optimizer": "adam", "lr": 0.001},
                 "measure": {"probes": 60, "cuts": [3], "deltas": [1.0], "layers": true}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz").toUri()));

        // The same study here: whole, and as two shards merged.
        // The local runs' thread count, whatever an earlier test of this JVM set (the results depend on it).
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        StudyFile local = StudyFile.read(study);
        Path whole = dir.resolve("whole"), merged = dir.resolve("merged");
        runLocally(new StudyRunner(local, whole, 1, note -> { }));
        String sha = ShardFolder.sha256(study);
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            shards.add(dir.resolve("shard" + i));
            runLocally(new StudyRunner(local, shards.get(i - 1), 1, note -> { }, new ShardFolder(new Shard(i, 2), sha, study.toString())));
        }
        StudyRunner merge = new StudyRunner(local, merged, 1, note -> { });
        merge.merge(shards, sha);
        merge.summarise();

        // The cluster.
        Path home = sparkHome();
        int masterPort = freePort(), uiPort = freePort();
        Process master = start(dir.resolve("master.log"), home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(uiPort));
        waitForPort(masterPort, master);
        String url = "spark://127.0.0.1:" + masterPort;
        List<Process> workers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            Path work = Files.createDirectories(dir.resolve("worker" + w));
            workers.add(start(dir.resolve("worker" + w + ".log"), home, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "3g", "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort())));
        }
        waitForWorkers(uiPort, 2);

        Path out = dir.resolve("spark");
        int appUi = freePort();
        Process driver = start(dir.resolve("driver.log"), home, "org.diffeo4j.cli.DiffeoCli", "study", study.toString(), "--out", out.toString(),
                "--engine", "spark", "--master", url, "--threads", "1", "-Dspark.ui.enabled=true", "-Dspark.ui.port=" + appUi);
        Path cells = out.resolve("cells.jsonl");
        int before = waitForCells(cells, 1, driver);
        // Kill the process of an executor that is running a task right now (its id from the driver's REST API).
        String busy = busyExecutor(appUi);
        Optional<ProcessHandle> victim = workers.stream().flatMap(w -> w.toHandle().children())
                .filter(h -> commandLine(h).contains("\0--executor-id\0" + busy + "\0")).findFirst();
        assertTrue(victim.isPresent(), "executor " + busy + " is a process under a worker");
        victim.get().destroyForcibly();
        assertTrue(before < 8, "the executor was killed mid-run, with " + before + " of 8 cells in");
        if (!driver.waitFor(6, TimeUnit.MINUTES)) {
            fail("the driver did not finish in 6 minutes:\n" + Files.readString(dir.resolve("driver.log")));
        }
        String log = Files.readString(dir.resolve("driver.log"));
        assertEquals(0, driver.exitValue(), log);
        long executors;
        try (var all = Files.walk(dir, 3)) {
            executors = all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().startsWith("app-")
                    && p.getFileName().toString().matches("\\d+")).count();
        }
        assertTrue(executors >= 3, "the master started a replacement executor (executor folders: " + executors + ")");

        List<String> lines = Files.readAllLines(cells);
        Set<String> keys = lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject().get("key").getAsString()).collect(Collectors.toSet());
        assertEquals(8, lines.size(), "every cell exactly once:\n" + String.join("\n", lines));
        assertEquals(8, keys.size());
        assertEquals(new HashSet<>(Files.readAllLines(whole.resolve("cells.jsonl"))), new HashSet<>(lines), "cluster = local");
        assertEquals(new HashSet<>(Files.readAllLines(merged.resolve("cells.jsonl"))), new HashSet<>(lines), "cluster = shards merged");
        assertEquals(Files.readString(whole.resolve("summary.json")), Files.readString(out.resolve("summary.json")));
        assertEquals(Files.readString(whole.resolve("summary.json")), Files.readString(merged.resolve("summary.json")));
        assertEquals(files(whole.resolve("runs")), files(out.resolve("runs")), "the trained nets are written where a local run leaves them");
    }

    /** The files under {@code runs} with their SHA-256, but the checkpoints and the run records (they hold times). */
    private static Map<String, String> files(Path runs) throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        try (var all = Files.walk(runs)) {
            for (Path f : all.filter(Files::isRegularFile).filter(f -> !f.endsWith("checkpoint.bin") && !f.endsWith("train.json")).toList()) {
                files.put(runs.relativize(f).toString(), ShardFolder.sha256(f));
            }
        }
        return files;
    }

    /** Runs a study in this JVM and writes its summary. */
    static void runLocally(StudyRunner r) throws IOException {
        r.run(StudyRunner.Listener.silent());
        r.summarise();
    }

    /** A folder laid out like a Spark distribution: RELEASE, and jars/ with links to the class path's jars. */
    private static Path sparkHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home")), jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "diffeo4j test: Spark jars of the test class path\n");
        int i = 0;
        for (String e : ChildJvm.classPath().split(File.pathSeparator)) {
            if (e.endsWith(".jar")) {
                Files.createSymbolicLink(jars.resolve(String.format("%04d-%s", i++, Path.of(e).getFileName())), Path.of(e).toAbsolutePath());
            }
        }
        return home;
    }

    /** A child JVM (master, worker or driver) whose SPARK_HOME is {@code home}; remembered for the clean-up. */
    private static Process start(Path log, Path home, String main, String... args) throws IOException {
        Process p = ChildJvm.start(log, dir.resolve("tmp"), Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.12"), main, args);
        started.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    fail("the master exited: " + Files.readString(dir.resolve("master.log")));
                }
                Thread.sleep(100);
            }
        }
        fail("the master did not open port " + port + " in 60 s");
    }

    /** Waits until the master's JSON status lists {@code n} alive workers. */
    private static void waitForWorkers(int uiPort, int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        for (int i = 0; i < 600; i++) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (JsonParser.parseString(body).getAsJsonObject().get("aliveworkers").getAsInt() >= n) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                body = e.toString();
            }
            Thread.sleep(100);
        }
        fail("the workers did not register in 60 s: " + body);
    }

    /** The id of an executor with a running task, from the application's REST API on the driver. */
    private static String busyExecutor(int appUi) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        // 60 s: on a loaded 2-core machine (a study beside the build) the application's UI and its first task took over 15 s once
        for (int i = 0; i < 1200; i++) {
            try {
                String api = "http://127.0.0.1:" + appUi + "/api/v1/applications";
                String app = JsonParser.parseString(get(http, api)).getAsJsonArray().get(0).getAsJsonObject().get("id").getAsString();
                body = get(http, api + "/" + app + "/executors");
                for (var e : JsonParser.parseString(body).getAsJsonArray()) {
                    var o = e.getAsJsonObject();
                    if (!o.get("id").getAsString().equals("driver") && o.get("activeTasks").getAsInt() > 0) {
                        return o.get("id").getAsString();
                    }
                }
            } catch (IOException | RuntimeException e) {
                body = e.toString();
            }
            Thread.sleep(50);
        }
        fail("no executor with a running task in 60 s: " + body);
        return null;
    }

    /** The process's whole command line, NUL-separated (ProcessHandle.Info truncates long ones). */
    private static String commandLine(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits until {@code cells} holds at least {@code n} lines; returns how many it holds. */
    private static int waitForCells(Path cells, int n, Process driver) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (Files.isRegularFile(cells)) {
                int have = Files.readAllLines(cells).size();
                if (have >= n) {
                    return have;
                }
            }
            if (!driver.isAlive()) {
                fail("the driver exited early: " + Files.readString(dir.resolve("driver.log")));
            }
            Thread.sleep(100);
        }
        fail("no cell in 5 minutes: " + Files.readString(dir.resolve("driver.log")));
        return 0;
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
