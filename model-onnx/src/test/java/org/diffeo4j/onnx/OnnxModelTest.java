package org.diffeo4j.onnx;

import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Activations;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxModelTest {
    private static Path lenet() {
        return SharedFiles.root().resolve("models/lenet_visible.onnx");
    }

    /**
     * No PyTorch here to compare outputs with, so a sanity check: the LeNet's error on the 2000
     * test digits is the reference's 5.25% (../shared/models/reference.json, test_error).
     */
    @Test
    void lenetTestErrorMatchesReference() {
        Path root = SharedFiles.root().resolve("data/mnist");
        ImageBatch x = Idx.readImages(root.resolve("t10k-images-idx3-ubyte.gz"));
        int[] y = Idx.readLabels(root.resolve("t10k-labels-idx1-ubyte.gz"));
        try (Model m = Models.load(lenet())) {
            assertArrayEquals(new int[]{1, 28, 28}, m.inputShape());
            assertEquals(10, m.outputs());
            Activations out = m.forward(x);
            int wrong = 0;
            for (int s = 0; s < x.count(); s++) {
                int best = 0;
                for (int k = 1; k < 10; k++) {
                    best = out.get(s, k) > out.get(s, best) ? k : best;
                }
                wrong += best == y[s] ? 0 : 1;
            }
            assertEquals(0.0525, wrong / (double) x.count(), 0.5 / x.count(), "test error");
        }
    }

    /** The options of the load reach the session: its intra-op pool has the threads asked for, execution is sequential. */
    @Test
    void sessionRunsOnTheThreadsOfTheOptions() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 16);
        float[] first = null;
        for (int n : new int[]{1, 2}) {
            try (Model m = Models.load(lenet(), org.diffeo4j.model.Options.threads(n))) {
                assertTrue(m.runtime().endsWith("(" + n + " intra-op thread" + (n == 1 ? "" : "s") + ", sequential)"), m.runtime());
                float[] out = m.forward(x).data();
                if (first == null) {
                    first = out;
                } else {
                    assertArrayEquals(first, out, 1e-5f, "the thread count changes no output beyond rounding");
                }
            }
        }
    }

    /** Chunked evaluation gives the same outputs as one batch. */
    @Test
    void chunksAgreeWithOneBatch() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 37);
        try (Model m = Models.load(lenet())) {
            Model chunked = new Model() {
                public String description() { return m.description(); }
                public int[] inputShape() { return m.inputShape(); }
                public int outputs() { return m.outputs(); }
                public List<String> layerNames() { return m.layerNames(); }
                public java.util.Map<String, Activations> forwardChunk(ImageBatch i, List<String> l) { return m.forwardChunk(i, l); }
                public int chunkSize(ImageBatch i) { return 5; }
            };
            assertArrayEquals(m.forward(x).data(), chunked.forward(x).data());
        }
    }

    @Test
    void wrongShapeNamesBothShapes() {
        try (Model m = Models.load(lenet())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(2, 3, 32, 32)));
            assertTrue(e.getMessage().contains("[B, 1, 28, 28]") && e.getMessage().contains("[2, 3, 32, 32]"), e.getMessage());
        }
    }

    @Test
    void missingAndCorruptFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[]{1, 2, 3, 4, 5, 6, 7});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.load(bad));
        assertTrue(e.getMessage().startsWith("model must be an ONNX file") && !e.getMessage().contains("\n"), e.getMessage());
        Path zip = dir.resolve("bad.zip");
        Files.write(zip, new byte[]{'P', 'K', 3, 4, 0, 0});
        e = assertThrows(IllegalArgumentException.class, () -> Models.load(zip));
        // Only the ONNX adapter is on this module's class path: the message lists what it reads.
        assertTrue(e.getMessage().startsWith("model must be one of: ONNX files") && e.getMessage().endsWith("bad.zip"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.load(dir.resolve("none.onnx")));
        assertTrue(e.getMessage().contains("found no file"), e.getMessage());
    }

    /** Exports without a dynamic batch axis are fed chunks of their fixed batch (last one padded). */
    @Test
    void fixedBatchGraphsAreFedTheirBatch(@TempDir Path dir) throws Exception {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 7);
        for (long[] dims : new long[][]{{3, 1, 28, 28}, {-1, 1, 28, 28}, {1, 784}, {-1, 784}}) {
            Path f = Files.write(dir.resolve("flat" + dims.length + dims[0] + ".onnx"), TinyOnnx.flatten(dims));
            try (Model m = Models.load(f)) {
                assertEquals(784, m.outputs());
                assertArrayEquals(x.data(), m.forward(x).data(), java.util.Arrays.toString(dims));
            }
        }
        Path flat = Files.write(dir.resolve("flat2.onnx"), TinyOnnx.flatten(-1, 784));
        try (Model m = Models.load(flat)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(1, 1, 32, 32)));
            assertTrue(e.getMessage().contains("784") && e.getMessage().contains("[1, 1, 32, 32]"), e.getMessage());
        }
    }
}
