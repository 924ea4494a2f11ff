package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;

/** Array helpers around DJL. */
final class Arrays2 {
    private Arrays2() {
    }

    /**
     * Overwrites {@code a} (modified) with {@code values} in place: an elementwise copy through
     * libtorch (grad mode is off outside a GradientCollector), not DJL's {@code set}, whose JNI
     * side prints a deprecation warning of libtorch on stderr and keeps a reference to the buffer.
     */
    static void assign(NDArray a, float[] values) {
        if (values.length != a.size()) {
            throw new IllegalArgumentException("values must number " + a.size() + ", found " + values.length);
        }
        try (NDArray src = a.getManager().create(values, a.getShape())) {
            a.muli(0f).addi(src);
        }
    }
}
