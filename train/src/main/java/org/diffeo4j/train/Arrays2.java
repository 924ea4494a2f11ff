package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;

/** Array helpers around DJL. */
final class Arrays2 {
    private Arrays2() {
    }

    /**
     * Overwrites {@code a} (modified) with {@code values} in place: an elementwise copy through
     * libtorch with grad mode off ({@link #withoutGrad}), not DJL's {@code set}, whose JNI side prints a
     * deprecation warning of libtorch on stderr and keeps a reference to the buffer.
     */
    static void assign(NDArray a, float[] values) {
        if (values.length != a.size()) {
            throw new IllegalArgumentException("values must number " + a.size() + ", found " + values.length);
        }
        withoutGrad(() -> {
            try (NDArray src = a.getManager().create(values, a.getShape())) {
                a.muli(0f).addi(src);
            }
        });
    }

    /**
     * Runs {@code r} with libtorch's grad mode off, then restores the thread's mode. Grad mode is
     * thread-local and on in a new thread (a Spark task's, say), where an in-place write to a
     * parameter that requires gradients ("a leaf Variable ... used in an in-place operation") fails;
     * DJL turns it off only on the thread that starts the engine and after each GradientCollector.
     */
    static void withoutGrad(Runnable r) {
        boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(was);
        }
    }
}
