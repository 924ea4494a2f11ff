package org.diffeo4j.cpu;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Many small calls through one backend's worker pool: each call hands ranges to the workers and
 * waits for them. A lost wake-up or a worker touching a finished call's state (the bug this guards,
 * which hung a JMH run) shows up as a hang, turned into a failure by the timeout.
 */
class WorkerPoolStressTest {
    @Test
    void thousandsOfTinyCallsComplete() {
        // Not try-with-resources: close() joins the workers, and a hung worker would hang the test
        // instead of failing it. On a timeout the pool is left to the process's end.
        NativeBackend b = NativeLibrary.open(2, 0);
        {
            ImageBatch img = new ImageBatch(2, 1, 4, 4, new float[32]);
            ImageBatch out = img.like();
            CoefficientBatch z = CoefficientBatch.draw(3, 1, 0, 2);
            DiffeoSpec spec = new DiffeoSpec(3, 1e-3, Interpolation.BILINEAR);
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int k = 0; k < 30_000; k++) {
                    b.deformInto(img, spec, 1, k, out);
                    b.synthesize(z, 1e-3, 4, 4);
                }
            }, "worker pool hung");
            assertEquals(32, out.data().length);
        }
        b.close();
    }
}
