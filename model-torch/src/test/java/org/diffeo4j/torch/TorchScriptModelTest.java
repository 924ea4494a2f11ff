package org.diffeo4j.torch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TorchScript nets traced by tools/make_torch_models.py (PyTorch 1.13) against what PyTorch computed
 * for them (expected.json): logits, the reference protocol's R_f, and hidden layers against the ONNX
 * export of the same net with those layers as outputs.
 */
class TorchScriptModelTest {
    private static JsonObject expected;
    private static ImageBatch probes;

    @BeforeAll
    static void load() throws Exception {
        expected = JsonParser.parseString(Files.readString(dir().resolve("expected.json"))).getAsJsonObject();
        probes = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 500);
    }

    private static Path dir() {
        return SharedFiles.testData().resolve("torch");
    }

    private static JsonObject net(String name) {
        return expected.getAsJsonObject("nets").getAsJsonObject(name);
    }

    /** libtorch 2.7 through DJL gives PyTorch 1.13's logits on the first 8 test images. */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet_bn"})
    void logitsArePyTorchs(String name) {
        JsonArray want = net(name).getAsJsonArray("logits_first8");
        try (Model m = Models.load(dir().resolve(name + ".pt"))) {
            assertTrue(m.description().startsWith("TorchScript " + name), m.description());
            Activations out = m.forward(probes.slice(0, 8));
            assertEquals(10, out.units());
            for (int s = 0; s < 8; s++) {
                for (int k = 0; k < 10; k++) {
                    float w = want.get(s).getAsJsonArray().get(k).getAsFloat();
                    assertEquals(w, out.get(s, k), 1e-4f + 1e-5f * Math.abs(w), "image " + s + " logit " + k);
                }
            }
        }
    }

    /**
     * R_f of the TorchScript net (our diffeos and noise, Philox seed 1, 8 realisations on the first 500
     * test images, c = 3, delta = 1, bilinear, median) within e^0.1 of PyTorch's reference protocol
     * (torch's draws, 40 realisations): the geometric means differ by draws only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet_bn"})
    void stabilityMatchesReferenceProtocol(String name) {
        JsonObject ref = net(name).getAsJsonObject("stability");
        List<String> layers = net(name).getAsJsonArray("layers").asList().stream().map(e -> e.getAsString()).toList();
        StabilitySpec spec = new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 8, 1, layers);
        try (Model m = Models.load(dir().resolve(name + ".pt")); JavaBackend b = new JavaBackend(2)) {
            CellResult c = new StabilityMeasurement(m, b).run(probes, spec, (d, t) -> { }).get(0);
            assertClose(logMean(ref.getAsJsonObject("output").getAsJsonArray("R")), Math.log(c.output().r().logmean()), name + " output");
            for (String l : layers) {
                assertClose(logMean(ref.getAsJsonObject(l).getAsJsonArray("R")), Math.log(c.layers().get(l).r().logmean()), name + " " + l);
            }
        }
    }

    private static void assertClose(double wantLn, double gotLn, String what) {
        assertTrue(Math.abs(wantLn - gotLn) <= 0.1, what + ": ln R_f expected " + wantLn + " +- 0.1, found " + gotLn);
    }

    private static double logMean(JsonArray values) {
        return values.asList().stream().mapToDouble(v -> Math.log(v.getAsDouble())).average().orElseThrow();
    }

    /** A hidden module run alone gives what the ONNX export of the same net returns as that output. */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet_bn"})
    void layersEqualTheExportedOutputs(String name) {
        List<String> layers = net(name).getAsJsonArray("layers").asList().stream().map(e -> e.getAsString()).toList();
        ImageBatch x = probes.slice(0, 16);
        try (Model pt = Models.load(dir().resolve(name + ".pt")); Model onnx = Models.load(dir().resolve(name + "_layers.onnx"))) {
            assertTrue(pt.layerNames().containsAll(layers), pt.layerNames().toString());
            Map<String, Activations> got = pt.forward(x, layers), want = onnx.forward(x, layers);
            for (String l : layers) {
                float[] g = got.get(l).data(), w = want.get(l).data();
                assertEquals(w.length, g.length, l);
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], g[i], 1e-4f + 1e-4f * Math.abs(w[i]), l + " at " + i);
                }
            }
        }
    }

    /** TorchScript records no input shape: channels come from the first convolution, a wrong size is found by running one image. */
    @Test
    void wrongInputsAreOneLineErrors() {
        try (Model m = Models.load(dir().resolve("lenet.pt"))) {
            assertEquals(List.of(1, -1, -1), java.util.Arrays.stream(m.inputShape()).boxed().toList());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(2, 3, 28, 28)));
            assertTrue(e.getMessage().contains("[B, 1, ?, ?]") && e.getMessage().contains("[2, 3, 28, 28]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.forward(ImageBatch.zeros(2, 1, 32, 32)));
            assertTrue(e.getMessage().startsWith("model input must be images lenet.pt can take, found data of shape [2, 1, 32, 32] (libtorch failed")
                    && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /**
     * Inside a residual block the chain ends where the shortcut joins (bn2's output feeds the addition),
     * and the shortcut's downsample is off the chain: neither is a layer, and the message lists those that are.
     */
    @Test
    void unreachableModuleIsOneLineListingWhatIsAvailable() {
        try (Model m = Models.load(dir().resolve("resnet_bn.pt"))) {
            assertEquals(List.of("conv1", "bn1", "relu", "layer1", "layer1.0", "layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu",
                    "layer1.0.conv2", "layer2", "layer2.0", "layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu", "layer2.0.conv2",
                    "layer3", "layer3.0", "layer3.0.conv1", "layer3.0.bn1", "layer3.0.relu", "layer3.0.conv2", "pool", "flatten", "fc"),
                    m.layerNames());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(probes.slice(0, 2), List.of("layer2.0.downsample")));
            assertTrue(e.getMessage().contains("found 'layer2.0.downsample'") && e.getMessage().contains("layer2.0.conv2, layer3")
                    && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /**
     * Parameters as PyTorch counts them, sum(p.numel() for p in net.parameters()): 15,398 for the
     * LeNet, 10,082 for the ResNet (batch-norm's running statistics are buffers); depth unknown.
     */
    @org.junit.jupiter.api.Test
    void parameterCountIsPyTorchsAndDepthIsUnknown() {
        try (Model m = Models.load(dir().resolve("lenet.pt")); Model r = Models.load(dir().resolve("resnet_bn.pt"))) {
            assertEquals(15398, m.parameterCount().orElseThrow());
            assertEquals(10082, r.parameterCount().orElseThrow());
            assertTrue(m.depth().isEmpty() && r.depth().isEmpty(), "TorchScript does not show the data flow between modules");
        }
    }
}
