/**
 * Image batches (batch-first NCHW float32) and the loaders that make them: IDX (gzipped or not),
 * NPY, and PNG/JPEG files. Every loader refuses corrupt files, NaN pixels and values outside
 * [0, 1] after the one scaling rule of {@link org.diffeo4j.data.PixelRange} with a one-line message
 * naming the file.
 */
package org.diffeo4j.data;
