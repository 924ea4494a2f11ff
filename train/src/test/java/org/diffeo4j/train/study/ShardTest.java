package org.diffeo4j.train.study;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shards deal a study's ordered units disjointly and completely, the same way every time. */
class ShardTest {
    @Test
    void shardsAreDisjointDeterministicAndCoverTheGrid() {
        for (int units : new int[] {1, 7, 48}) {
            List<Integer> ordered = IntStream.range(0, units).boxed().toList();
            for (int n = 1; n <= 9; n++) {
                List<Integer> union = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    List<Integer> part = new Shard(i, n).select(ordered);
                    assertEquals(part, Shard.parse(i + "/" + n).select(ordered), "deterministic");
                    // Round robin: sizes differ by at most one.
                    assertEquals(units / n + (i - 1 < units % n ? 1 : 0), part.size(), i + "/" + n + " of " + units);
                    union.addAll(part);
                }
                union.sort(null);
                assertEquals(ordered, union, "each unit in exactly one of " + n + " shards");
            }
        }
        assertEquals(List.of(1, 4, 7), new Shard(2, 3).select(IntStream.range(0, 9).boxed().toList()), "unit i in shard i mod N + 1");
    }

    @Test
    void badSpecsAreOneLineErrors() {
        for (String bad : List.of("0/2", "3/2", "1/0", "x", "", "1/2/3", "/2", "a/b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad));
            assertEquals("shard must be I/N with 1 <= I <= N, found " + bad, e.getMessage());
        }
        assertEquals(new Shard(3, 4), Shard.parse("3/4"));
        assertEquals("3/4", new Shard(3, 4).toString());
    }

    @Test
    void seedsInnermostSpreadEachSizeOverTheShards() {
        StudyFile s = StudyFile.parse(com.google.gson.JsonParser.parseString("""
                {"name": "s", "datasets": [{"name": "m", "train": "a", "test": "b"}], "architectures": ["fc", "resnet"],
                 "train_sizes": [128, 4096], "seeds": [0, 1, 2, 3]}""").getAsJsonObject(), java.nio.file.Path.of("."), "t");
        List<StudyFile.Unit> units = s.units();
        assertEquals(16, units.size());
        for (int i = 1; i <= 2; i++) {
            List<StudyFile.Unit> part = new Shard(i, 2).select(units);
            // Two seeds of every (arch, P): the same cost in every shard.
            for (String arch : List.of("fc", "resnet")) {
                for (int p : List.of(128, 4096)) {
                    assertEquals(2, part.stream().filter(u -> u.name().equals(arch) && u.trainSize() == p).count(), arch + " P=" + p + " in " + i + "/2");
                }
            }
        }
    }
}
