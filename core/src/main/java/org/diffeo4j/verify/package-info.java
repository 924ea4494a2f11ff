/**
 * Replay of reference-vector files (the format of ../shared/golden, documented in
 * docs/reference-vectors.md) on any backend, with the project's tolerances in one place.
 */
package org.diffeo4j.verify;
