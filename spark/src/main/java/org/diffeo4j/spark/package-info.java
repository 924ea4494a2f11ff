/**
 * Studies on Apache Spark (issue 16): {@link org.diffeo4j.spark.SparkStudyEngine}, found by the
 * command line through {@link org.diffeo4j.train.study.StudyEngine}'s ServiceLoader, runs each unit
 * of a study's grid as a Spark task; docs/study.md says how to run it on a standalone cluster, YARN
 * and Kubernetes. Spark is on this module's class path only.
 */
package org.diffeo4j.spark;
