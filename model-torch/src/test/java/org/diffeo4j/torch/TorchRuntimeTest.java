package org.diffeo4j.torch;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine setup for every DJL user in the JVM; the thread count can change after the start. */
class TorchRuntimeTest {
    @Test
    void threadCountFollowsConfigureAfterTheEngineStarted() {
        assertTrue(TorchRuntime.describe().startsWith("DJL 0.36.0 / PyTorch 2.7.1"), TorchRuntime.describe());
        int before = TorchRuntime.threads();
        try {
            TorchRuntime.configure(1);
            assertEquals(1, JniUtils.getNumThreads());
            TorchRuntime.configure(2);
            assertEquals(2, JniUtils.getNumThreads());
            assertEquals(2, TorchRuntime.threads());
        } finally {
            TorchRuntime.configure(before);
        }
        assertThrows(IllegalArgumentException.class, () -> TorchRuntime.configure(0));
    }
}
