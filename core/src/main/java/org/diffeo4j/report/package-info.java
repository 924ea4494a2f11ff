/**
 * Figures and report files: a small Java2D chart (log or linear axes, lines, dots, heat map, legend) and
 * the Fig. 1-style grid of deformed images, written as PNG; atomic file writes so an interrupted
 * run never leaves a half-written file.
 */
package org.diffeo4j.report;
