/**
 * Re-sampling of NCHW images through a displacement field pair: bilinear, Gaussian (truncated
 * window) and nearest, with the reference code's conventions (DESIGN.md section 1).
 */
package org.diffeo4j.interp;
