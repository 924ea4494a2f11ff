/**
 * Worst-case diffeomorphisms of a given norm ({@code diffeo attack}, issue 22): per probe, the
 * coefficients of the maximum-entropy ensemble at (c, T) constrained to the ensemble's expected energy
 * {@code sum (i^2 + j^2) C_ij^2 = 2 M T} that maximise how far the net's output moves (or how low the
 * true class's margin falls), by projected ascent on that sphere from typical draws
 * ({@link org.diffeo4j.attack.AttackRun}); with the model's autograd chained through the deformation
 * ({@link org.diffeo4j.attack.BilinearDeformer}) or with finite differences; and the worst-case
 * noise of the typical deformation's norm, the denominator of a relative worst case.
 *
 * <p>Randomness: nothing new is drawn. Restart r of probe i starts from the measurement's draw at
 * sample address {@code r*P + i} (streams 0 and 1), the noise ascent from G_f's noise of probe i
 * (stream 2, sample i); the ascent itself is deterministic.
 */
package org.diffeo4j.attack;
