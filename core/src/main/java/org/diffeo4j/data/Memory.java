package org.diffeo4j.data;

/**
 * Where a batch's floats live. A backend computes in some kinds without copying
 * ({@link org.diffeo4j.backend.DiffeoBackend#memories()}) and stages the others through the heap.
 */
public enum Memory {
    /** A Java {@code float[]}: every backend reads it (native pins it, CUDA copies it). */
    HEAP,
    /** An off-heap {@link java.nio.FloatBuffer} in native byte order: native reads it in place. */
    DIRECT,
    /** Memory of an accelerator, owned by the backend that allocated it. */
    DEVICE
}
