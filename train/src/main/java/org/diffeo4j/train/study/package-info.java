/**
 * Studies: the study file ({@link org.diffeo4j.train.study.StudyFile}), the grid run with its
 * resumable cells.jsonl ({@link org.diffeo4j.train.study.StudyRunner},
 * {@link org.diffeo4j.train.study.CellsFile}), the summary with the eps_t = a R_f^b fit
 * ({@link org.diffeo4j.train.study.StudySummary}, {@link org.diffeo4j.train.study.PowerLaw}) and the
 * paper's figures ({@link org.diffeo4j.train.study.StudyFigures}). Format: docs/study.md.
 */
package org.diffeo4j.train.study;
