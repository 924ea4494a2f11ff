package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout's masks: the rate, the 1/(1 - p) scale, the identity in inference, and the seed's masks. */
class SeededDropoutTest {
    @BeforeAll
    static void oneThread() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
    }

    @Test
    void dropsAFractionPAndScalesTheRestInTrainingOnly() {
        try (NDManager m = TorchRuntime.newManager()) {
            NDArray ones = m.ones(new Shape(100, 1000));
            float[] train = run(new SeededDropout(0.2, 3), m, ones, true, 1)[0];
            int zeros = 0;
            for (float v : train) {
                assertTrue(v == 0f || v == 1.25f, "a unit must be dropped or scaled by 1/(1 - p), found " + v);
                zeros += v == 0f ? 1 : 0;
            }
            // 1e5 draws of p = 0.2: sd 126, so 6 sd either side
            assertEquals(20_000, zeros, 760);
            assertArrayEquals(ones.toFloatArray(), run(new SeededDropout(0.2, 3), m, ones, false, 1)[0]);
            assertArrayEquals(ones.toFloatArray(), run(new SeededDropout(0, 3), m, ones, true, 1)[0]);
        }
    }

    @Test
    void theSeedAndTheCallFixTheMask() {
        try (NDManager m = TorchRuntime.newManager()) {
            NDArray x = m.ones(new Shape(4, 64));
            float[][] a = run(new SeededDropout(0.5, 9), m, x, true, 2), b = run(new SeededDropout(0.5, 9), m, x, true, 2);
            float[][] c = run(new SeededDropout(0.5, 10), m, x, true, 1);
            assertArrayEquals(a[0], b[0]);
            assertArrayEquals(a[1], b[1]);
            assertFalse(java.util.Arrays.equals(a[0], a[1]), "two calls drew the same mask");
            assertFalse(java.util.Arrays.equals(a[0], c[0]), "seeds 9 and 10 drew the same mask");
        }
        assertThrows(IllegalArgumentException.class, () -> new SeededDropout(1, 0));
    }

    private static float[][] run(SeededDropout d, NDManager m, NDArray x, boolean training, int calls) {
        d.initialize(m, DataType.FLOAT32, x.getShape());
        float[][] out = new float[calls][];
        for (int i = 0; i < calls; i++) {
            out[i] = d.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow().toFloatArray();
        }
        return out;
    }
}
