package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine starts offline with passive OpenMP waits unless the user chose a policy. */
class TorchRuntimeTest {
    @Test
    void openMpThreadsWaitPassivelyUnlessTheUserSaidOtherwise() {
        if (!TorchRuntime.started()) {
            TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        }
        String described = TorchRuntime.describe();
        String user = System.getenv("OMP_WAIT_POLICY");
        assertEquals(user == null ? "PASSIVE" : user, TorchRuntime.openMpWaitPolicy());
        assertTrue(described.contains("OMP_WAIT_POLICY " + TorchRuntime.openMpWaitPolicy()), described);
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }
}
