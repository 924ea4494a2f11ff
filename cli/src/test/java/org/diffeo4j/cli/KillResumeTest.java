package org.diffeo4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's acceptance for resuming, one test for the four commands that resume: measure, stripe, train and
 * study, each killed with SIGKILL at random points (mid-cell, mid-epoch, mid-append: nothing of the run's own
 * gets to run) and run again with the same command line. The result equals an uninterrupted run's, and the
 * journal holds each key once (train: each epoch once). Everything on one thread, so runs repeat bit for bit.
 */
class KillResumeTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void linux() {
        org.diffeo4j.Preconditions.require(OS.LINUX.isCurrentOs(), "killing child JVMs with SIGKILL needs Linux, found " + System.getProperty("os.name"));
    }

    /**
     * A command that resumes.
     *
     * @param args       its command line into an output folder
     * @param units      what it finishes one by one (cells, epochs), and how many it has
     * @param done       how many of them a folder holds (read while the run may be writing)
     * @param keys       the journal's keys, in the order written (a duplicate is a failure)
     * @param result     what an uninterrupted run and a resumed one must give alike
     */
    record Command(String name, Function<Path, String[]> args, int units, Function<Path, Integer> done, Function<Path, List<String>> keys,
                   Function<Path, String> result) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path mnist(String file) {
        return SharedFiles.root().resolve("data/mnist").resolve(file);
    }

    static Stream<Command> commands() throws IOException {
        Path study = Files.writeString(dir.resolve("study.json"), """
                {"name": "kill",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", "lenet"], "train_sizes": [64, 256], "seeds": [3],
                 "training": {"epochs": 3, "batch": 32, "optimizer": "adam", "lr": 0.002},
                 "measure": {"probes": 60, "cuts": [3], "deltas": [1.0], "backend": "java"}}
                """.formatted(mnist("train-images-idx3-ubyte.gz"), mnist("t10k-images-idx3-ubyte.gz")));
        return Stream.of(
                new Command("measure", out -> new String[]{"measure", "--probes", "100", "--cut", "3,5,9", "--delta", "0.5,1,2", "--realisations", "2",
                        "--backend", "java", "--threads", "1", "--format", "json", "--out", out.toString()}, 9,
                        out -> journalKeys(out.resolve(MeasureCommand.LOG), KillResumeTest::cutAndT).size(),
                        out -> journalKeys(out.resolve(MeasureCommand.LOG), KillResumeTest::cutAndT),
                        out -> json(out.resolve("stability.json")).get("results").toString()),
                new Command("stripe", out -> new String[]{"stripe", "--train-sizes", "64,128,256", "--seeds", "2", "--threads", "1",
                        "--out", out.toString()}, 6,
                        out -> journalKeys(out.resolve(StripeCommand.LOG), KillResumeTest::sizeAndSeed).size(),
                        out -> journalKeys(out.resolve(StripeCommand.LOG), KillResumeTest::sizeAndSeed),
                        out -> {
                            JsonObject j = json(out.resolve("stripe.json"));
                            return j.get("results") + "\n" + j.get("fit");
                        }),
                new Command("train", out -> new String[]{"train", "--arch", "lenet", "--data", mnist("train-images-idx3-ubyte.gz").toString(),
                        "--test", mnist("t10k-images-idx3-ubyte.gz").toString(), "--train-size", "1024", "--epochs", "8", "--batch", "64",
                        "--threads", "1", "--out", out.toString()}, 8,
                        out -> epochs(out).size(), KillResumeTest::epochs,
                        out -> {
                            StringBuilder b = new StringBuilder();
                            for (JsonElement e : json(out.resolve("train.json")).getAsJsonArray("epochs")) {
                                JsonObject o = e.getAsJsonObject(); // less the timings, which differ from run to run
                                b.append(o.get("epoch")).append(' ').append(o.get("lr")).append(' ').append(o.get("loss")).append(' ')
                                        .append(o.get("test_error")).append('\n');
                            }
                            return b + sha256(out.resolve("model/weights.bin")) + " " + sha256(out.resolve("init/weights.bin"));
                        }),
                new Command("study", out -> new String[]{"study", study.toString(), "--out", out.toString(), "--threads", "1"}, 4,
                        out -> journalKeys(out.resolve("cells.jsonl"), o -> o.get("key").getAsString()).size(),
                        out -> journalKeys(out.resolve("cells.jsonl"), o -> o.get("key").getAsString()),
                        out -> {
                            try {
                                return new TreeSet<>(Files.readAllLines(out.resolve("cells.jsonl"))) + "\n" + Files.readString(out.resolve("summary.json"));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void killedAtRandomPointsAndRerunEqualsAnUninterruptedRun(Command c) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + c.name()));
        Path reference = dir.resolve(c.name() + "-whole"), killed = dir.resolve(c.name() + "-killed");
        run(c, reference, tmp, "ref");
        Random random = new Random(c.name().hashCode());
        int kills = 0;
        for (int attempt = 0; attempt < 3 && c.done().apply(killed) < c.units() - 1; attempt++) {
            int target = Math.min(c.units() - 1, c.done().apply(killed) + 1 + random.nextInt(2));
            Process p = ChildCli.start(Files.createDirectories(dir.resolve(c.name() + "-logs-" + attempt)), tmp, c.args().apply(killed));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (p.isAlive() && c.done().apply(killed) < target && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(60)); // anywhere: mid-cell, mid-epoch, mid-write, between two units
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                kills++;
            }
            p.waitFor(30, TimeUnit.SECONDS);
            List<String> keys = c.keys().apply(killed);
            assertEquals(keys.size(), new HashSet<>(keys).size(), "no key twice after kill " + attempt + ": " + keys);
        }
        assertTrue(kills >= 1, c + ": at least one run must have been killed mid-way, found " + kills);
        run(c, killed, tmp, "last");
        assertEquals(c.result().apply(reference), c.result().apply(killed), c + ": the resumed run equals the uninterrupted one");
        List<String> keys = c.keys().apply(killed);
        assertEquals(c.units(), keys.size(), c + ": one journal entry per unit: " + keys);
        assertEquals(keys.size(), new HashSet<>(keys).size(), c + ": no key twice: " + keys);
        try (Stream<Path> s = Files.walk(killed)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().endsWith(".part")).toList(), "no temporary file left");
        }
    }

    private static void run(Command c, Path out, Path tmp, String name) throws Exception {
        Path logs = Files.createDirectories(dir.resolve(c.name() + "-logs-" + name));
        Process p = ChildCli.start(logs, tmp, c.args().apply(out));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), c + " " + name + " finishes");
        assertEquals(0, p.exitValue(), Files.readString(logs.resolve("err.txt")));
    }

    /** A measure cell's identity in stability.jsonl: its run key, cut and temperature. */
    static String cutAndT(JsonObject o) {
        return o.get("key").getAsString() + " " + o.getAsJsonObject("cell").get("cut") + " " + o.getAsJsonObject("cell").get("T");
    }

    /** A stripe cell's identity in stripe.jsonl: its run key, train size and seed. */
    static String sizeAndSeed(JsonObject o) {
        return o.get("key").getAsString() + " " + o.getAsJsonObject("cell").get("trainSize") + " " + o.getAsJsonObject("cell").get("seed");
    }

    /** The keys of a journal's whole lines (a torn last line, without its newline, is not an entry), every line read as written. */
    static List<String> journalKeys(Path journal, Function<JsonObject, String> key) {
        List<String> keys = new ArrayList<>();
        if (!Files.isRegularFile(journal)) {
            return keys;
        }
        try {
            String text = Files.readString(journal);
            String whole = text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : whole.split("\n")) {
                if (!line.isEmpty()) {
                    keys.add(key.apply(JsonParser.parseString(line).getAsJsonObject()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return keys;
    }

    /** The epochs train.json records (written atomically after each epoch). */
    static List<String> epochs(Path out) {
        List<String> epochs = new ArrayList<>();
        Path f = out.resolve("train.json");
        if (!Files.isRegularFile(f)) {
            return epochs;
        }
        JsonArray a = json(f).getAsJsonArray("epochs");
        for (JsonElement e : a) {
            epochs.add(e.getAsJsonObject().get("epoch").getAsString());
        }
        return epochs;
    }

    static JsonObject json(Path f) {
        try {
            return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
