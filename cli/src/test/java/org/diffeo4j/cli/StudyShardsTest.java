package org.diffeo4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.train.study.ShardFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.isEmpty;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code diffeo study --shard I/N} and {@code --merge}: a tiny study (2 architectures x 2 sizes, 1
 * epoch, one seed) run whole and as two shards merged gives the same cells and summary; bad shard
 * specs and mismatched merges are one-line errors that write nothing. Runs in this JVM on the
 * training engine's thread count (the same for every run here, so the runs repeat bit for bit).
 */
class StudyShardsTest {
    @TempDir
    static Path dir;
    static Path study, whole, s1, s2;

    @BeforeAll
    static void wholeAndShards() throws IOException {
        if (!TorchRuntime.started()) {
            TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        }
        Path mnist = SharedFiles.root().resolve("data/mnist");
        study = dir.resolve("tiny-shards.json");
        Files.writeString(study, """
                {"name": "tiny-shards",
                 "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", "lenet"], "train_sizes": [100, 300], "seeds": [5],
                 "training": {"epochs": 1, "batch": 50, "optimizer": "adam", "lr": 0.002},
                 "measure": {"probes": 40, "cuts": [3], "deltas": [1.0], "backend": "java"}}
                """.formatted(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("t10k-images-idx3-ubyte.gz")));
        whole = study(dir.resolve("whole"));
        s1 = study(dir.resolve("s1"), "--shard", "1/2");
        s2 = study(dir.resolve("s2"), "--shard", "2/2");
    }

    @Test
    void twoShardsMergedEqualTheWholeStudy() throws IOException {
        assertEquals(2, lines(s1).size(), "shard 1/2 holds units 0 and 2 of 4");
        assertEquals(2, lines(s2).size());
        assertTrue(Set.copyOf(lines(s1)).stream().noneMatch(lines(s2)::contains), "shards are disjoint");
        JsonObject rec = JsonParser.parseString(Files.readString(s1.resolve("shard.json"))).getAsJsonObject();
        assertEquals("1/2", rec.get("shard").getAsString());
        assertEquals(ShardFolder.sha256(study), rec.get("study_sha256").getAsString());
        assertTrue(Files.isRegularFile(s1.resolve("summary.json")), "a shard folder is a study folder with its own summary");

        CliTest.Run again = run("study", study.toString(), "--out", s1.toString(), "--shard", "1/2", "--threads", threads());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 unit(s) computed") && again.err().contains(": 0 cell line(s)"), "a rerun shard resumes: " + again.err());
        CliTest.Run other = run("study", study.toString(), "--out", s1.toString(), "--shard", "2/2", "--threads", threads());
        assertInputError(other, "--shard must be 1/2 to continue");

        Path merged = dir.resolve("merged"), reversed = dir.resolve("reversed");
        CliTest.Run m = run("study", study.toString(), "--out", merged.toString(), "--merge", s1.toString(), s2.toString());
        assertEquals(0, m.code(), m.err());
        assertEquals(new HashSet<>(lines(whole)), new HashSet<>(lines(merged)), "same cells as the whole study");
        assertEquals(4, lines(merged).size(), "each cell once");
        assertEquals(Files.readString(whole.resolve("summary.json")), Files.readString(merged.resolve("summary.json")));
        assertTrue(Files.size(merged.resolve("figures/rf_vs_p_mnist.png")) > 1000);
        assertEquals(0, run("study", study.toString(), "--out", reversed.toString(), "--merge", s2 + "," + s1).code(), "comma list, other order");
        assertEquals(Files.readString(whole.resolve("summary.json")), Files.readString(reversed.resolve("summary.json")));
        assertEquals(0, run("study", study.toString(), "--out", merged.toString(), "--merge", s1.toString(), s2.toString()).code());
        assertEquals(4, lines(merged).size(), "merging again adds nothing");
    }

    @Test
    void badShardSpecsAreOneLineErrorsAndWriteNothing() throws IOException {
        Path out = dir.resolve("bad-spec");
        for (String spec : List.of("0/2", "3/2", "1/0", "x", "1/2/3", "1/")) {
            assertInputError(run("study", study.toString(), "--out", out.toString(), "--shard", spec), "--shard must be I/N with 1 <= I <= N, found " + spec);
            assertTrue(isEmpty(out), "nothing written for " + spec);
        }
        assertInputError(run("study", study.toString(), "--out", out.toString(), "--shard", "5/5", "--threads", threads()),
                "--shard must be I/N with N <= 4");
        assertInputError(run("study", study.toString(), "--out", out.toString(), "--shard", "1/2", "--merge", s1.toString()),
                "must be used one at a time");
        assertInputError(run("study", study.toString(), "--out", whole.toString(), "--shard", "1/2", "--threads", threads()), "found cells of a whole study in");
        assertInputError(run("study", study.toString(), "--out", s1.toString(), "--threads", threads()), "--shard must be given as 1/2 to continue");
        assertTrue(isEmpty(out));
    }

    @Test
    void engineOptionsAreCheckedBeforeAnythingRuns() throws IOException {
        Path out = dir.resolve("bad-engine");
        assertInputError(run("study", study.toString(), "--out", out.toString(), "--engine", "flink"), "--engine must be local or spark, found flink");
        assertInputError(run("study", study.toString(), "--out", out.toString(), "--master", "spark://127.0.0.1:7077"),
                "--master must be used with --engine spark");
        // This module's class path has no Spark (the spark module adds it): the engine is missing, and said so.
        assertInputError(run("study", study.toString(), "--out", out.toString(), "--engine", "spark"), "--engine spark needs the diffeo4j-spark module");
        Path hdfs = dir.resolve("hdfs.json");
        Files.writeString(hdfs, Files.readString(study).replaceFirst("\"test\": \"[^\"]*\"", "\"test\": \"hdfs://namenode:8020/mnist/t10k-images-idx3-ubyte.gz\""));
        assertInputError(run("study", hdfs.toString(), "--out", out.toString()), "datasets[].test must be a local path or a file: URI");
        assertTrue(isEmpty(out));
    }

    @Test
    void mismatchedMergesAreOneLineErrorsNamingTheFolder() throws IOException {
        Path out = dir.resolve("bad-merge");
        assertInputError(merge(out, s1, s1), "--merge must name each shard once, found shard 1/2 in " + s1);
        assertInputError(merge(out, s1), "--merge must name all 2 shards, found shard 2/2 missing");
        assertInputError(merge(out, s1, whole), "found no shard.json in " + whole);

        // A shard of another study file (one fc run with another seed: another hash, cells of other keys).
        Path otherStudy = dir.resolve("other.json"), other = dir.resolve("other");
        Files.writeString(otherStudy, Files.readString(study).replace("[100, 300]", "[100]").replace("\"fc\", \"lenet\"", "\"fc\"")
                .replace("\"seeds\": [5]", "\"seeds\": [6]"));
        CliTest.Run r = run("study", otherStudy.toString(), "--out", other.toString(), "--shard", "1/1", "--threads", threads());
        assertEquals(0, r.code(), r.err());
        assertInputError(merge(out, s1, other), "found a shard of " + otherStudy + " (sha256 " + ShardFolder.sha256(otherStudy) + ") in " + other);
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.copy(other.resolve("cells.jsonl"), foreign.resolve("cells.jsonl"));
        assertInputError(merge(foreign, s1, s2), "--out must be empty or hold cells of the same study, found cell mnist|fc|100|6|3|d1.0 in " + foreign);
        assertEquals(List.of("cells.jsonl"), List.of(foreign.toFile().list()), "nothing written into a foreign folder");

        // An unfinished shard (killed after its first cell): its folder with one of its two lines.
        Path cut = dir.resolve("unfinished");
        Files.createDirectories(cut);
        for (String f : List.of("shard.json", "study-key.json")) {
            Files.copy(s2.resolve(f), cut.resolve(f));
        }
        Files.writeString(cut.resolve("cells.jsonl"), lines(s2).get(0) + "\n");
        assertInputError(merge(out, s1, cut), "--merge must name finished shards, found 1 of the 2 cells of shard 2/2 in " + cut);
        assertTrue(isEmpty(out), "nothing written on a refused merge");
    }

    private static CliTest.Run merge(Path out, Path... shards) {
        List<String> args = new ArrayList<>(List.of("study", study.toString(), "--out", out.toString(), "--merge"));
        for (Path p : shards) {
            args.add(p.toString());
        }
        return run(args.toArray(String[]::new));
    }

    private static Path study(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("study", study.toString(), "--out", out.toString(), "--threads", threads()));
        args.addAll(List.of(more));
        CliTest.Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static String threads() {
        return Integer.toString(TorchRuntime.threads());
    }

    private static List<String> lines(Path out) throws IOException {
        List<String> l = new ArrayList<>();
        for (String s : Files.readAllLines(out.resolve("cells.jsonl"))) {
            if (!s.isBlank()) {
                l.add(s);
            }
        }
        return l;
    }
}
