/**
 * JMH benchmarks of every hot path on every backend. Scores: JMH's primary score is batches per
 * second; the {@code images} secondary score (an {@code @AuxCounters} counter) is images per
 * second, the figure the issues' targets use. Run {@code bench/run.sh}.
 */
package org.diffeo4j.bench;
