package org.diffeo4j.dl4j;

import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Activations;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jModelTest {
    static ImageBatch train, test;
    static int[] labels;

    @BeforeAll
    static void data() {
        Path root = SharedFiles.root().resolve("data/mnist");
        train = Idx.readImages(root.resolve("train-images-idx3-ubyte.gz")).slice(0, 500);
        labels = java.util.Arrays.copyOf(Idx.readLabels(root.resolve("train-labels-idx1-ubyte.gz")), 500);
        test = Idx.readImages(root.resolve("t10k-images-idx3-ubyte.gz")).slice(0, 64);
    }

    @Test
    void trainedConvNetRoundTripsAndMeasures(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = Dl4jNets.smallConv(1);
        Dl4jNets.train(net, train, labels, 5);
        Path zip = Dl4jNets.save(net, dir.resolve("conv.zip"));
        INDArray want = net.output(Nd4j.create(test.data(), new long[]{test.count(), 784}, 'c'), false);
        try (Model m = Models.load(zip)) {
            assertArrayEquals(new int[]{1, 28, 28}, m.inputShape());
            assertEquals(10, m.outputs());
            assertEquals(List.of("conv1", "pool1", "fc1"), m.layerNames());
            Map<String, Activations> got = m.forward(test, List.of("fc1"));
            assertArrayEquals(want.dup('c').data().asFloat(), got.get(Model.OUTPUT).data(), 1e-6f);
            assertEquals(32, got.get("fc1").units());
            try (JavaBackend b = new JavaBackend(2)) {
                CellResult c = new StabilityMeasurement(m, b).run(test, StabilitySpec.defaults(1), (d, t) -> { }).get(0);
                assertTrue(c.output().r().logmean() > 0 && Double.isFinite(c.output().r().logmean()));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(1, 1, 32, 32)));
            assertTrue(e.getMessage().contains("[B, 1, 28, 28]") && e.getMessage().contains("[1, 1, 32, 32]"), e.getMessage());
        }
    }

    @Test
    void denseGraphRoundTripsWithHiddenLayer(@TempDir Path dir) throws Exception {
        ComputationGraph g = Dl4jNets.denseGraph(2);
        Dl4jNets.train(g, train, labels, 3);
        Path zip = Dl4jNets.save(g, dir.resolve("graph.zip"));
        INDArray want = g.outputSingle(false, Nd4j.create(test.data(), new long[]{test.count(), 784}, 'c'));
        try (Model m = Models.load(zip)) {
            assertEquals(List.of("hidden"), m.layerNames());
            Map<String, Activations> got = m.forward(test, List.of("hidden"));
            assertArrayEquals(want.dup('c').data().asFloat(), got.get(Model.OUTPUT).data(), 1e-6f);
            assertEquals(32, got.get("hidden").units());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(1, 3, 28, 28)));
            assertTrue(e.getMessage().contains("784") && e.getMessage().contains("[1, 3, 28, 28]"), e.getMessage());
        }
    }

    /** ND4J's pools (libnd4j's own, OpenMP, OpenBLAS) run on the threads of the load's options; the setting is per process. */
    @Test
    void loadSetsNd4jThreadsFromTheOptions(@TempDir Path dir) throws Exception {
        Path zip = Dl4jNets.save(Dl4jNets.denseGraph(2), dir.resolve("graph.zip"));
        int[] before = Dl4jModel.threadCounts();
        try {
            for (int n : new int[]{1, 2}) {
                try (Model m = Models.load(zip, org.diffeo4j.model.Options.threads(n))) {
                    assertArrayEquals(new int[]{n, n, n}, Dl4jModel.threadCounts());
                    assertTrue(m.runtime().contains(n + " threads"), m.runtime());
                }
            }
        } finally {
            Dl4jModel.useThreads(before[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> Dl4jModel.useThreads(0));
    }

    /** DL4J's parameter tables and the weight layers on the longest path: conv 156 + dense 27,680 + out 330; dense 25,120 + out 330. */
    @Test
    void parametersAndDepthAreTheNetworks(@TempDir Path dir) throws Exception {
        try (Model conv = Models.load(Dl4jNets.save(Dl4jNets.smallConv(1), dir.resolve("conv.zip")));
             Model dense = Models.load(Dl4jNets.save(Dl4jNets.denseGraph(2), dir.resolve("graph.zip")))) {
            assertEquals(28166, conv.parameterCount().orElseThrow());
            assertEquals(3, conv.depth().orElseThrow());
            assertEquals(25450, dense.parameterCount().orElseThrow());
            assertEquals(2, dense.depth().orElseThrow());
        }
    }
}
