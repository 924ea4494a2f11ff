package org.diffeo4j.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one task sends back to the driver: the unit's cells.jsonl lines, and the files of its
 * training run (init/, model/, train.json; not the checkpoint, whose optimiser state only a resumed
 * training needs) by path relative to the study folder, for the driver to write where a local run
 * leaves them.
 *
 * @param unit the unit's position in the study's canonical order
 * @param cells one JSON object per (cut, strength), as {@code Cell.json()} writes it
 * @param files file contents by relative path ('/'-separated)
 * @param seconds the task's wall time
 * @param executor the executor that computed it, for the progress line
 */
record UnitResult(int unit, List<String> cells, Map<String, byte[]> files, double seconds, String executor) implements Serializable {
}
