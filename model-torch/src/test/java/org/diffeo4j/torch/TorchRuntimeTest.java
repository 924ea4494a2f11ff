package org.diffeo4j.torch;

import ai.djl.pytorch.jni.JniUtils;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Options;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine setup for every DJL user in the JVM; the thread count follows the options of each load. */
class TorchRuntimeTest {
    @Test
    void threadCountFollowsTheOptionsAfterTheEngineStarted() {
        assertTrue(TorchRuntime.describe().startsWith("DJL 0.36.0 / PyTorch 2.7.1"), TorchRuntime.describe());
        int before = TorchRuntime.threads();
        try {
            TorchRuntime.engine(Options.threads(1));
            assertEquals(1, JniUtils.getNumThreads());
            TorchRuntime.engine(Options.threads(2));
            assertEquals(2, JniUtils.getNumThreads());
            assertEquals(2, TorchRuntime.threads());
        } finally {
            TorchRuntime.engine(Options.threads(before));
        }
    }

    /** A TorchScript model loaded with --threads N runs libtorch on N intra-op threads. */
    @Test
    void aModelLoadSetsTheThreadsOfItsOptions() {
        int before = TorchRuntime.threads();
        try {
            for (int n : new int[]{1, 2}) {
                try (Model m = Models.load(SharedFiles.testData().resolve("torch/lenet.pt"), Options.threads(n))) {
                    assertEquals(n, JniUtils.getNumThreads());
                    assertTrue(m.runtime().contains(n + " intra-op threads"), m.runtime());
                }
            }
        } finally {
            TorchRuntime.engine(Options.threads(before));
        }
    }
}
