/**
 * Diffeomorphisms as data augmentation (issue 15): the authors' {@code transform.py} sampling of the
 * cut-off c and temperature T from two Beta distributions, one (c, T, field) per image addressed by
 * (seed, epoch, image) so an image always gets the same deformation in a given epoch; a replay
 * record per image; label masks and keypoints moved by the same deformation; and an optional
 * guarantee that every returned field is a diffeomorphism on the pixel grid; for comparison, the usual
 * random shifts and flips ({@link org.diffeo4j.augment.ShiftFlip}) drawn the same way, and the
 * {@code --augment} grammar combining them ({@link org.diffeo4j.augment.Augmentation}). Layout of the
 * random addresses: {@link org.diffeo4j.augment.AugmentAddress} and docs/augment.md.
 */
package org.diffeo4j.augment;
