/**
 * The relative stability index R_f = D_f / G_f of Petrini et al. (NeurIPS 2021), Sections 3 and 5,
 * with the reference protocol of DESIGN.md section 1: one diffeo and one noise per probe image,
 * per-output medians summed over outputs, normalised by the median pairwise squared distance of the
 * clean outputs (diagonal included); realisations combined by log-averaging.
 *
 * <p>Random addressing: realisation {@code r} of a measurement on {@code P} probes draws the diffeo of
 * probe {@code i} at sample address {@code r*P + i} (streams {@code STREAM_U}, {@code STREAM_V}) and
 * its noise at the same address on {@code STREAM_NOISE}, element k = pixel k of the CHW image. The
 * addresses do not depend on the cut or the temperature, so a sweep reuses the same z per realisation
 * (coupled cells, smoother curves), and realisations never share a draw.
 */
package org.diffeo4j.stability;
