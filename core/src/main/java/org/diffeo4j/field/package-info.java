/**
 * The maximum-entropy ensemble of displacement fields (Petrini et al. 2021, Eq. 2): the mode set
 * for a cut-off, the sine basis, coefficient batches (drawn or replayed), separable synthesis of
 * one field pair per sample, the temperature helpers of Eq. 3 and Section 2.1, and the
 * diffeomorphism check of Appendix B (Jacobian determinant on the pixel grid).
 */
package org.diffeo4j.field;
