package org.diffeo4j.train.study;

import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * An engine that computes a study's cells somewhere else than this JVM (issue 16): the Spark engine
 * (module diffeo4j-spark) is one, found through {@link ServiceLoader} so that no other module has
 * Spark on its class path. Whatever the engine, the output folder ends as a local run leaves it: the
 * same cells.jsonl lines (appended by this JVM as units finish, so a rerun resumes), the trained
 * nets under runs/, the same summary.
 */
public interface StudyEngine {
    /**
     * What a study run is asked to do.
     *
     * @param extend add the cells of new grid values to a folder holding this study with other ones ({@link StudyRunner#extend})
     */
    record Job(Path studyFile, Path out, int threads, String master, Consumer<String> notes, boolean extend) {
        public Job(Path studyFile, Path out, int threads, String master, Consumer<String> notes) {
            this(studyFile, out, threads, master, notes, false);
        }
    }

    /** What a run did: units computed now, units in the study, and the summary written from all cells. */
    record Outcome(int computed, int units, StudySummary summary) {
    }

    /** The name given to {@code --engine}. */
    String name();

    /**
     * Computes every cell of the study not yet in {@code out/cells.jsonl}, appends them there, and
     * writes the summary ({@link StudyRunner#summarise}) while the engine can still read the data.
     * Bad input is an {@link org.diffeo4j.validate.BadInputException} thrown before anything is written.
     */
    Outcome run(Job job, StudyRunner.Listener listener) throws Exception;

    /** The engine called {@code name} on the class path, or null. */
    static StudyEngine find(String name) {
        for (StudyEngine e : ServiceLoader.load(StudyEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
