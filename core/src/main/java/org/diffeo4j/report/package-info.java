/**
 * Figures and report files. Commands describe a figure as {@link org.diffeo4j.report.Plot} panels of
 * {@link org.diffeo4j.report.Series} (lines, dashed lines, dots, error bars) and an optional heat map;
 * {@link org.diffeo4j.report.Plots} draws them with XChart into a {@link org.diffeo4j.report.Figure},
 * written as PNG with an SVG beside it; {@link org.diffeo4j.report.DeformGrid} is the Fig. 1-style
 * grid of deformed images. No XChart type appears in this package's public API. Atomic file writes,
 * so an interrupted run never leaves a half-written file.
 */
package org.diffeo4j.report;
