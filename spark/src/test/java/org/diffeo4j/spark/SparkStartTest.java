package org.diffeo4j.spark;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.cli.DiffeoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the driver opens and leaves when it starts Spark (issue 21): a local run listens on the
 * loopback interface only and starts no web UI; a {@code spark://} master that does not answer is
 * one line, exit 1, and no folder written.
 */
class SparkStartTest {
    @TempDir
    Path dir;

    /**
     * The driver runs as a child JVM, as a user starts it (without ChildJvm's loopback settings, which
     * would hide the engine's defaults), and not in the test JVM: a DJL training on a Spark executor
     * thread leaves libtorch's autograd state unfit for the next test's training in the same JVM.
     */
    @Test
    void aLocalRunListensOnLoopbackOnlyAndStartsNoUi() throws Exception {
        org.diffeo4j.Preconditions.require(Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd")),
                "needs Linux's /proc to list a process's listening sockets");
        Path study = study(SharedFiles.root().resolve("data/mnist/train-images-idx3-ubyte.gz").toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")), "-Djava.awt.headless=true"));
        for (String o : System.getProperty("diffeo4j.spark.opens", "").split(" ")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of(DiffeoCli.class.getName(), "study", study.toString(), "--out", dir.resolve("out").toString(), "--engine", "spark",
                "--threads", "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
        pb.environment().put("CLASSPATH", ChildJvm.classPath());
        pb.environment().remove("SPARK_LOCAL_IP");
        Process driver = pb.start();
        Set<String> listening = new java.util.TreeSet<>();
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (driver.isAlive() && System.nanoTime() < deadline) {
                listening.addAll(listeningSockets(driver.pid()));
                Thread.sleep(20);
            }
            assertFalse(driver.isAlive(), "the driver finished");
        } finally {
            driver.destroyForcibly().waitFor();
        }
        String log = Files.readString(dir.resolve("driver.log"));
        assertEquals(0, driver.exitValue(), log);
        assertTrue(log.contains("spark: 1 of 1 units to compute on local[1]"), log);
        // The driver's RPC endpoint and its block manager listen (local mode keeps both); the scan must see them.
        assertFalse(listening.isEmpty(), "the scan found none of the driver's listening sockets: " + log);
        for (String a : listening) {
            assertTrue(a.startsWith("127.") || a.startsWith("::ffff:127.") || a.startsWith("::1:"), "listens beyond loopback: " + listening);
            int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
            assertFalse(port >= 4040 && port <= 4056, "a web UI port (4040 + spark.port.maxRetries): " + listening);
        }
    }

    @Test
    void aMasterThatDoesNotAnswerWritesNothing() throws IOException {
        Path study = study(SharedFiles.root().resolve("data/mnist/train-images-idx3-ubyte.gz").toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("new");
        StringWriter err = new StringWriter();
        int code = DiffeoCli.run(new String[]{"study", study.toString(), "--out", out.toString(), "--engine", "spark", "--master",
                "spark://127.0.0.1:" + port, "--threads", "1"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(1, code, err.toString());
        List<String> errors = err.toString().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), err.toString());
        assertTrue(errors.get(0).startsWith("error: spark: no master answers at spark://127.0.0.1:" + port), err.toString());
        assertFalse(Files.exists(out), "nothing written on a failed start");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        DiffeoCli.run(new String[]{"study", study.toString(), "--out", empty.toString(), "--engine", "spark", "--master",
                "spark://127.0.0.1:" + port, "--threads", "1"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        try (Stream<Path> s = Files.list(empty)) {
            assertEquals(List.of(), s.toList(), "an empty folder given stays empty");
        }
    }

    /** One unit: fc on 64 MNIST images, one epoch. */
    private Path study(String train) throws IOException {
        Path f = dir.resolve("study.json");
        Files.writeString(f, """
                {"name": "spark-start",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc"], "train_sizes": [64], "seeds": [1], "augmentations": ["none"],
                 "training": {"epochs": 1, "batch": 32, "optimizer": "adam", "lr": 0.001},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0]}}
                """.formatted(train, train.replace("train-images", "t10k-images")));
        return f;
    }

    /**
     * "ADDRESS:PORT" of each TCP socket process {@code pid} listens on: the socket inodes of /proc/PID/fd
     * matched with the LISTEN rows (state 0A) of /proc/net/tcp and tcp6 — what {@code ss -ltnp}
     * shows for this pid.
     */
    static List<String> listeningSockets(long pid) throws IOException {
        Set<String> mine = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        mine.add(link.substring("socket:[".length(), link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        } catch (IOException e) {
            return List.of(); // the process has just ended
        }
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.isReadable(t)) {
                continue;
            }
            List<String> rows = Files.readAllLines(t);
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals("0A") && mine.contains(f[9])) {
                    out.add(address(f[1]));
                }
            }
        }
        return out;
    }

    /** /proc/net/tcp's "0100007F:1F90" (32-bit words in host order, little-endian here) as "127.0.0.1:8080"; tcp6 likewise. */
    private static String address(String hex) {
        String[] ap = hex.split(":");
        int port = Integer.parseInt(ap[1], 16);
        String h = ap[0];
        if (h.length() == 8) {
            return ipv4(h) + ":" + port;
        }
        StringBuilder bytes = new StringBuilder();
        for (int w = 0; w < 4; w++) {
            String word = h.substring(8 * w, 8 * w + 8);
            for (int b = 3; b >= 0; b--) {
                bytes.append(word, 2 * b, 2 * b + 2);
            }
        }
        String b = bytes.toString().toLowerCase(Locale.ROOT);
        if (b.startsWith("00000000000000000000ffff")) {
            String v4 = b.substring(24);
            return "::ffff:" + Integer.parseInt(v4.substring(0, 2), 16) + "." + Integer.parseInt(v4.substring(2, 4), 16) + "."
                    + Integer.parseInt(v4.substring(4, 6), 16) + "." + Integer.parseInt(v4.substring(6, 8), 16) + ":" + port;
        }
        if (b.equals("00000000000000000000000000000001")) {
            return "::1:" + port;
        }
        return b + ":" + port; // any other IPv6 address (:: included): not loopback
    }

    private static String ipv4(String h) {
        return Integer.parseInt(h.substring(6, 8), 16) + "." + Integer.parseInt(h.substring(4, 6), 16) + "."
                + Integer.parseInt(h.substring(2, 4), 16) + "." + Integer.parseInt(h.substring(0, 2), 16);
    }
}
