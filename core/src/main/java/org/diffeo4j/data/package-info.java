/**
 * Image batches (batch-first NCHW float32) and the loaders that make them: IDX (gzipped or not),
 * NPY, and PNG/JPEG files. Every loader refuses corrupt files and NaN pixels with a one-line
 * message naming the file.
 */
package org.diffeo4j.data;
