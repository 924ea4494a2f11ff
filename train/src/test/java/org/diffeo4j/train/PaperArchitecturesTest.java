package org.diffeo4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.verify.Tolerances;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The full-width nets against the authors' PyTorch definitions, through the golden of
 * tools/paper_archs_fixture.py (its header gives the weight and input formulas): the same parameter
 * count, the same tensors in state_dict order, and the same logits in eval and training mode. Then a
 * forward, backward and SGD step of each on both input shapes.
 */
class PaperArchitecturesTest {
    /** float32 nets of up to 50 layers on two libtorch versions (1.13 for the golden, DJL's here), relative to the logits' scale. */
    private static final double LOGITS_TOL = 1e-4;
    private static final String[] SHAPES = {"1x28x28", "3x32x32"};
    private static final long G = 0x9E3779B97F4A7C15L;
    private static JsonObject golden;

    @BeforeAll
    static void load() throws IOException {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
        try (Reader r = new InputStreamReader(PaperArchitecturesTest.class.getResourceAsStream("/paper-archs.json"), StandardCharsets.UTF_8)) {
            golden = JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    static Stream<Arch> fullWidth() {
        return Arrays.stream(Arch.values()).filter(Arch::fullWidth);
    }

    @Test
    void theGoldenHoldsEveryFullWidthNetAndNoOther() {
        Set<String> ids = golden.getAsJsonObject("nets").keySet();
        assertEquals(fullWidth().map(Arch::id).sorted().toList(), ids.stream().sorted().toList());
        assertEquals(13, ids.size());
        fullWidth().forEach(a -> assertEquals(a.paperName(), golden.getAsJsonObject("nets").getAsJsonObject(a.id()).get("paper_name").getAsString()));
    }

    @ParameterizedTest
    @MethodSource("fullWidth")
    void parametersAndLogitsEqualTheAuthorsNets(Arch arch) {
        for (String key : SHAPES) {
            JsonObject g = golden.getAsJsonObject("nets").getAsJsonObject(arch.id()).getAsJsonObject("shapes").getAsJsonObject(key);
            int[] chw = Arrays.stream(key.split("x")).mapToInt(Integer::parseInt).toArray();
            String where = arch.id() + " " + key;
            try (Net net = Architectures.build(arch, chw, 10, 1, false); NDManager m = net.manager().newSubManager()) {
                assertEquals(g.get("parameters").getAsLong(), net.parameterCount(), where + " parameter count");
                fill(net, g.getAsJsonArray("tensors"), where);
                NDArray x = m.create(values(2L * chw[0] * chw[1] * chw[2], golden.get("input_t").getAsInt(), 0, 1), new Shape(2, chw[0], chw[1], chw[2]));
                assertClose(g.getAsJsonArray("eval"), net.forward(x, false).toFloatArray(), where + " eval");
                assertClose(g.getAsJsonArray("train"), net.forward(x, true).toFloatArray(), where + " train");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fullWidth")
    void forwardBackwardAndAStepOnBothShapes(Arch arch) {
        for (int[] chw : PaperArchitectures.INPUTS) {
            try (Net net = Architectures.build(arch, chw, 10, 7); NDManager m = net.manager().newSubManager()) {
                List<NDArray> weights = new ArrayList<>();
                for (Pair<String, Parameter> p : net.parameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                        weights.add(p.getValue().getArray());
                    }
                    // weight decay is meant for arrays of more than one dimension: biases and batch-norm scales must stay 1-D
                    Parameter.Type t = p.getValue().getType();
                    if (t != Parameter.Type.WEIGHT) {
                        assertEquals(1, p.getValue().getArray().getShape().dimension(), arch + " " + p.getKey());
                    }
                }
                NDArray x = m.create(ArchitecturesTest.images(2, chw, 1), new Shape(2, chw[0], chw[1], chw[2]));
                float before = net.forward(x, false).toFloatArray()[0];
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = net.forward(x, true);
                    assertEquals(new Shape(2, 10), out.getShape(), arch + " " + Arrays.toString(chw));
                    gc.backward(out.logSoftmax(1).get(":, 0").sum().neg());
                }
                for (Pair<String, Parameter> p : net.parameters()) {
                    if (p.getValue().requiresGradient()) {
                        NDArray g = p.getValue().getArray().getGradient();
                        assertTrue(Float.isFinite(g.sum().getFloat()), arch + " gradient of " + p.getKey());
                        boolean used = !unused(arch, p.getKey());
                        assertEquals(used, g.abs().sum().getFloat() > 0, arch + " " + p.getKey() + (used ? " has a zero gradient" : " is unused but has a gradient"));
                    }
                }
                new Optimizer("sgd", 0.01, 0.9, 5e-4, weights).step(); // the paper recipe's momentum and decay (weights only)
                Map<String, NDArray> hidden = net.forward(x, net.layerNames(), false);
                for (String layer : net.layerNames()) {
                    assertTrue(hidden.get(layer).size() > 0, arch + " " + layer);
                }
                float after = hidden.get("output").toFloatArray()[0];
                assertTrue(Float.isFinite(after) && after != before, arch + " one step must change the logits, found " + before + " and " + after);
            }
        }
    }

    @Test
    void stagesAreThePapersLayers() {
        Map<Arch, List<String>> expected = Map.of(
                Arch.RESNET18, List.of("conv1", "layer1", "layer2", "layer3", "layer4"),
                Arch.EFFICIENTNET_B0, List.of("conv1", "mb1", "mb2", "mb3", "mb4", "mb5", "mb6", "mb7"),
                Arch.ALEXNET, List.of("conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2"),
                Arch.FC_L4, List.of("fc1", "fc2", "fc3"));
        Map<Arch, Integer> depth = Map.of(Arch.RESNET18, 18, Arch.RESNET34, 34, Arch.RESNET50, 50, Arch.VGG11, 9, Arch.VGG16_BN, 14,
                Arch.VGG19, 17, Arch.ALEXNET, 8, Arch.LENET_PAPER, 5, Arch.FC_L4, 4, Arch.EFFICIENTNET_B0, 49);
        for (Arch a : depth.keySet()) {
            try (Net net = Architectures.build(a, new int[]{1, 28, 28}, 10, 0)) {
                assertEquals(depth.get(a), net.depth(), a.id());
                if (expected.containsKey(a)) {
                    assertEquals(expected.get(a), net.layerNames(), a.id());
                }
            }
        }
    }

    @Test
    void withoutDropoutATrainingModeForwardDropsNothing() {
        int[] chw = {1, 28, 28};
        try (Net with = Architectures.build(Arch.EFFICIENTNET_B0, chw, 10, 2); Net without = Architectures.build(Arch.EFFICIENTNET_B0, chw, 10, 2, false);
             NDManager m = with.manager().newSubManager()) {
            NDArray x = m.create(ArchitecturesTest.images(2, chw, 3), new Shape(2, 1, 28, 28));
            // batch statistics depend on the batch alone: two training-mode forwards agree unless units are dropped
            assertEquals(Arrays.toString(without.forward(x, true).toFloatArray()), Arrays.toString(without.forward(x, true).toFloatArray()));
            assertTrue(!Arrays.equals(with.forward(x, true).toFloatArray(), with.forward(x, true).toFloatArray()), "dropout 0.2 dropped nothing");
            assertEquals(Arrays.toString(with.forward(x, false).toFloatArray()), Arrays.toString(without.forward(x, false).toFloatArray()));
        }
    }

    @Test
    void otherInputShapesAreRefusedWithTheAuthorsSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.build(Arch.VGG11, new int[]{3, 64, 64}, 10, 0));
        assertEquals("vgg11 input must be 1 x 28 x 28 or 3 x 32 x 32 (the authors' sizes), found 3 x 64 x 64", e.getMessage());
    }

    @Test
    void fcL4IsInitialisedAsTheAuthorsStandardNormal() {
        try (Net net = Architectures.build(Arch.FC_L4, new int[]{1, 28, 28}, 10, 5)) {
            float[] w = net.parameters().get(0).getValue().getArray().toFloatArray();
            double mean = 0, sq = 0;
            for (float v : w) {
                mean += v / (double) w.length;
                sq += v * (double) v / w.length;
            }
            assertEquals(784 * 64, w.length);
            assertEquals(0, mean, 0.02);
            assertEquals(1, sq - mean * mean, 0.02);
        }
    }

    /** The authors' parameters that no forward uses: EfficientNet's expansion of ratio 1, DenseNetL4's last bias. */
    private static boolean unused(Arch arch, String key) {
        return arch == Arch.EFFICIENTNET_B0 && key.matches("mb1\\.\\d+MBConvBlock_\\d+(conv1|bn1)_.*")
                || arch == Arch.FC_L4 && key.equals("out.b");
    }

    /** Sets every array of {@code net} (modified) by the golden's formula, after checking its shape and kind. */
    private static void fill(Net net, JsonArray tensors, String where) {
        List<Pair<String, Parameter>> ps = net.parameters();
        assertEquals(tensors.size(), ps.size(), where + " number of tensors");
        for (int t = 0; t < ps.size(); t++) {
            JsonObject e = tensors.get(t).getAsJsonObject();
            Parameter p = ps.get(t).getValue();
            long[] shape = new long[e.getAsJsonArray("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getAsJsonArray("shape").get(i).getAsLong();
            }
            String w = where + " tensor " + t + " (" + e.get("name").getAsString() + " / " + ps.get(t).getKey() + ")";
            assertEquals(new Shape(shape), p.getArray().getShape(), w);
            assertEquals(e.get("kind").getAsString(), kind(p.getType()), w);
            Arrays2.assign(p.getArray(), values(p.getArray().size(), t, e.get("offset").getAsDouble(), e.get("scale").getAsDouble()));
        }
    }

    private static String kind(Parameter.Type t) {
        return switch (t) {
            case WEIGHT -> "weight";
            case BIAS -> "bias";
            case GAMMA -> "bn_weight";
            case BETA -> "bn_bias";
            case RUNNING_MEAN -> "running_mean";
            case RUNNING_VAR -> "running_var";
            default -> t.name();
        };
    }

    /** offset + scale (2u - 1), u the top 53 bits of splitmix64's finaliser on k + (t + 1) G, as tools/paper_archs_fixture.py. */
    static float[] values(long n, long t, double offset, double scale) {
        float[] v = new float[Math.toIntExact(n)];
        for (int k = 0; k < v.length; k++) {
            long z = k + (t + 1) * G;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            double u = (z >>> 11) * 0x1.0p-53;
            v[k] = (float) (offset + scale * (2 * u - 1));
        }
        return v;
    }

    private static void assertClose(JsonArray expected, float[] found, String where) {
        double[] e = new double[found.length];
        int i = 0;
        for (var row : expected) {
            for (var v : row.getAsJsonArray()) {
                e[i++] = v.getAsDouble();
            }
        }
        assertEquals(e.length, i, where + " logits");
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        StringBuilder bad = new StringBuilder();
        int mismatches = 0;
        for (int k = 0; k < e.length; k++) {
            if (!Tolerances.close(e[k], found[k], LOGITS_TOL * scale, 0) && mismatches++ < 10) {
                bad.append(String.format("%n  [%d] expected %.6f found %.6f", k, e[k], found[k]));
            }
        }
        if (mismatches > 0) {
            fail(where + ": " + mismatches + " of " + e.length + " logits differ by more than " + LOGITS_TOL * scale + bad);
        }
    }
}
