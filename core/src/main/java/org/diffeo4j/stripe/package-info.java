/**
 * The stripe model of Section 6 of Petrini et al. (NeurIPS 2021), after Paccolat et al. (2021,
 * "Geometric compression of invariant manifolds in neural nets"): standard Gaussian points in d
 * dimensions whose label depends on x_par = x_0 only, a one-hidden-layer ReLU net trained on them in
 * the feature-learning regime, and the relative stability of Eq. 6 with noise in the invariant
 * directions only over isotropic noise of the same norm.
 *
 * <p>Every draw is addressed with the counter-based Philox normals of {@code org.diffeo4j.random}
 * (docs/randomness.md) on streams of its own ({@link org.diffeo4j.stripe.StripeStreams}), so a cell
 * (P, seed) gives the same bits whatever the thread count or the order of the cells. Conventions,
 * parameters and the reasons for them: docs/stripe.md.
 */
package org.diffeo4j.stripe;
