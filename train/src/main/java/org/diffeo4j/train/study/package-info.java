/**
 * Studies: the study file ({@link org.diffeo4j.train.study.StudyFile}), the grid run with its
 * resumable cells.jsonl ({@link org.diffeo4j.train.study.StudyRunner}; the run store's journal of
 * {@link org.diffeo4j.train.study.Cell}s) in a folder claimed by the study's identity
 * ({@link org.diffeo4j.train.study.StudyRecord}), the summary with the eps_t = a R_f^b fit
 * ({@link org.diffeo4j.train.study.StudySummary}, {@link org.diffeo4j.train.study.PowerLaw}) with
 * bootstrap intervals over seeds ({@link org.diffeo4j.train.study.Bootstrap}), the
 * paper's figures ({@link org.diffeo4j.train.study.StudyFigures}), and the grid split for batch
 * schedulers ({@link org.diffeo4j.train.study.Shard}, {@link org.diffeo4j.train.study.ShardFolder},
 * {@link org.diffeo4j.train.study.StudyMerge}). Format: docs/study.md.
 */
package org.diffeo4j.train.study;
