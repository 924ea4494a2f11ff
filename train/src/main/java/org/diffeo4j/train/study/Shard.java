package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The I-th of N disjoint parts of a study's grid, for batch schedulers (a SLURM job array runs one
 * shard per task) and for any engine that splits the grid (a Spark engine can hand shard I of N, or
 * each unit, to a task). Assignment is a pure function of the study's canonical unit order
 * ({@link StudyFile#units()}): unit i (from 0) belongs to shard (i mod N) + 1. The order puts seeds
 * innermost, so round-robin deals the seeds of each (dataset, arch, P) to different shards and every
 * shard gets nearly the same mix of architectures and sizes, hence nearly the same cost; when N
 * divides the number of seeds the mix is exactly equal. Contiguous blocks would give one shard all
 * the large-P, deep-net units.
 *
 * @param index 1 ... count (SLURM's {@code --array=1-N} numbering)
 * @param count N >= 1
 */
public record Shard(int index, int count) {
    /** The whole grid as one shard. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new BadInputException("shard must be I/N with 1 <= I <= N, found " + index + "/" + count);
        }
    }

    /** Parses "I/N"; anything else is a one-line error quoting the text. */
    public static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].strip()), n = Integer.parseInt(parts[1].strip());
                if (n >= 1 && i >= 1 && i <= n) {
                    return new Shard(i, n);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the one error below
        }
        throw new BadInputException("shard must be I/N with 1 <= I <= N, found " + text);
    }

    /** True when the unit at {@code position} (from 0) of the canonical order belongs to this shard. */
    public boolean owns(int position) {
        return position % count == index - 1;
    }

    /** This shard's part of {@code ordered} (not modified), in order. */
    public <T> List<T> select(List<T> ordered) {
        List<T> mine = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (owns(i)) {
                mine.add(ordered.get(i));
            }
        }
        return mine;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
