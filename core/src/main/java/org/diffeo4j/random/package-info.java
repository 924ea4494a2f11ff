/**
 * Counter-based randomness: Philox4x32-10 (Salmon et al., SC'11) and Box–Muller normals.
 *
 * <p>A draw is addressed by (seed, sample, stream, element) rather than taken from a sequential
 * generator, so the same seed gives the same fields and noise on every backend, for any thread
 * count and any batch split. The addressing is documented in {@code docs/randomness.md} and is the
 * same in Java, C++ and CUDA.
 */
package org.diffeo4j.random;
