package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reduced architecture builds for MNIST- and CIFAR-shaped inputs, runs forward and backward, and
 * its initialisation is the seed's (the full-width ones: PaperArchitecturesTest).
 */
class ArchitecturesTest {
    @BeforeAll
    static void oneThread() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
    }

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"FC", "LENET", "VGG", "VGG_BN", "RESNET", "EFFICIENTNET"})
    void forwardAndBackwardOnBothShapes(Arch arch) {
        for (int[] chw : new int[][]{{1, 28, 28}, {3, 32, 32}}) {
            try (Net net = Architectures.build(arch, chw, 10, 7); NDManager m = net.manager().newSubManager()) {
                assertTrue(net.parameterCount() > 1000, arch + " parameters " + net.parameterCount());
                assertTrue(net.depth() >= 5, arch + " depth " + net.depth());
                for (Pair<String, Parameter> p : net.parameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
                NDArray x = m.create(images(4, chw, 1), new Shape(4, chw[0], chw[1], chw[2]));
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = net.forward(x, true);
                    assertEquals(new Shape(4, 10), out.getShape(), arch + " " + Arrays.toString(chw));
                    gc.backward(out.square().sum());
                }
                for (Pair<String, Parameter> p : net.parameters()) {
                    if (p.getValue().requiresGradient()) {
                        NDArray g = p.getValue().getArray().getGradient();
                        assertTrue(Float.isFinite(g.sum().getFloat()), arch + " gradient of " + p.getKey());
                        if (p.getKey().endsWith("weight")) {
                            assertTrue(g.abs().sum().getFloat() > 0, arch + " zero gradient for " + p.getKey());
                        }
                    }
                }
                for (String layer : net.layerNames()) {
                    assertTrue(net.forward(x, java.util.List.of(layer), false).get(layer).size() > 0, layer);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"FC", "RESNET"})
    void theSeedFixesTheInitialisation(Arch arch) {
        int[] chw = {1, 28, 28};
        try (Net a = Architectures.build(arch, chw, 10, 3); Net b = Architectures.build(arch, chw, 10, 3);
             Net c = Architectures.build(arch, chw, 10, 4)) {
            for (int i = 0; i < a.parameters().size(); i++) {
                assertArrayEquals(a.parameters().get(i).getValue().getArray().toFloatArray(), b.parameters().get(i).getValue().getArray().toFloatArray());
            }
            float[] w3 = a.parameters().get(0).getValue().getArray().toFloatArray(), w4 = c.parameters().get(0).getValue().getArray().toFloatArray();
            assertTrue(!Arrays.equals(w3, w4), "seeds 3 and 4 gave the same first weights");
        }
    }

    static float[] images(int n, int[] chw, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * chw[0] * chw[1] * chw[2]];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }
}
