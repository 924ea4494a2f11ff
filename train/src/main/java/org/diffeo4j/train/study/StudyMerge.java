package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StrictJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the shard folders of one study into one folder: checks everything first (each folder a
 * finished shard of the same study file, every shard 1 ... N exactly once, no cell outside its
 * shard), then writes the union of their cells.jsonl, each cell once, and merged.json naming the
 * shards. The model paths in the cells stay relative to the shard folder that trained them.
 */
public final class StudyMerge {
    private StudyMerge() {
    }

    /**
     * Checks {@code shards} against {@code study} (read from a file whose SHA-256 is {@code sha256}) and
     * returns their cells in shard order; writes nothing. Any problem is one line naming the folder.
     */
    public static List<Cell> collect(StudyFile study, String sha256, List<Path> shards) {
        if (shards.isEmpty()) {
            throw new BadInputException("merge must name at least one shard folder, found none");
        }
        List<StudyFile.Unit> units = study.units();
        TreeMap<Integer, Path> seen = new TreeMap<>();
        int count = -1;
        List<Cell> all = new ArrayList<>();
        for (Path dir : shards) {
            ShardFolder f = ShardFolder.read(dir);
            if (f == null) {
                throw new BadInputException("merge must name shard folders (written with --shard I/N), found no " + ShardFolder.FILE + " in " + dir);
            }
            if (!f.studySha256().equals(sha256)) {
                throw new BadInputException("merge must name shards of " + study.source() + " (sha256 " + sha256 + "), found a shard of "
                        + f.study() + " (sha256 " + f.studySha256() + ") in " + dir);
            }
            Shard s = f.shard();
            if (count >= 0 && s.count() != count) {
                throw new BadInputException("merge must name shards of one split into " + count + ", found shard " + s + " in " + dir);
            }
            count = s.count();
            Path before = seen.putIfAbsent(s.index(), dir);
            if (before != null) {
                throw new BadInputException("merge must name each shard once, found shard " + s + " in " + dir + " and in " + before);
            }
            all.addAll(cellsOf(study, s, units, dir));
        }
        for (int i = 1; i <= count; i++) {
            if (!seen.containsKey(i)) {
                throw new BadInputException("merge must name all " + count + " shards, found shard " + i + "/" + count + " missing (given: "
                        + seen.values() + ")");
            }
        }
        return all;
    }

    /** The cells of shard {@code s} in {@code dir}, checked to be exactly the ones it owns. */
    private static List<Cell> cellsOf(StudyFile study, Shard s, List<StudyFile.Unit> units, Path dir) {
        Set<String> owned = new HashSet<>();
        for (StudyFile.Unit u : s.select(units)) {
            owned.addAll(study.keys(u));
        }
        List<Cell> cells = Cell.cells(Cell.journal(dir.resolve("cells.jsonl")));
        for (Cell c : cells) {
            if (!owned.contains(c.key())) {
                throw new BadInputException("merge must name folders holding only their shard's cells, found cell " + c.key() + " (not of shard "
                        + s + ") in " + dir);
            }
        }
        if (cells.size() != owned.size()) {
            throw new BadInputException("merge must name finished shards, found " + cells.size() + " of the " + owned.size() + " cells of shard "
                    + s + " in " + dir + " (rerun its --shard command to finish it)");
        }
        return cells;
    }

    /**
     * Writes {@code cells} (from {@link #collect}) into {@code out}/cells.jsonl, skipping any already
     * there, and {@code out}/merged.json naming the shard folders.
     */
    public static void write(Path out, List<Cell> cells, String sha256, String study, List<Path> shards) throws IOException {
        org.diffeo4j.run.Journal file = Cell.journal(out.resolve("cells.jsonl"));
        Cell.appendMissing(file, cells); // merging again adds nothing
        JsonObject o = new JsonObject();
        o.addProperty("study", study);
        o.addProperty("study_sha256", sha256);
        JsonArray dirs = new JsonArray();
        for (Path p : shards) {
            dirs.add(p.toAbsolutePath().normalize().toString());
        }
        o.add("shards", dirs);
        o.addProperty("cells", file.size());
        o.addProperty("note", "model paths in cells.jsonl are relative to the shard folder that trained them");
        Files2.createDirectories(out);
        Files2.writeString(out.resolve("merged.json"), StrictJson.pretty(o, "merged.json"));
    }
}
