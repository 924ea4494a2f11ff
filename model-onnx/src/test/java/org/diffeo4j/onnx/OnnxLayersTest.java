package org.diffeo4j.onnx;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.LayerInfo;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any node of an ONNX graph as a layer, on the nets tools/make_torch_models.py exported twice from
 * PyTorch: {@code NAME.onnx} with the logits only, {@code NAME_layers.onnx} with hidden layers as
 * extra outputs named by their modules. Asking the first for a layer by internal name must give
 * what the second exports.
 */
class OnnxLayersTest {
    private static ImageBatch probes;

    @BeforeAll
    static void data() {
        probes = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 100);
    }

    private static Path file(String name) {
        return SharedFiles.testData().resolve("torch").resolve(name);
    }

    @ParameterizedTest
    @CsvSource({"lenet, features.2, /features/features.2/MaxPool_output_0",
            "lenet, features.4, /features/features.4/Relu_output_0",
            "lenet, classifier.2, /classifier/classifier.2/Relu_output_0",
            "resnet_bn, layer1, /layer1/layer1.0/relu_1/Relu_output_0",
            "resnet_bn, layer3, /layer3/layer3.0/relu_1/Relu_output_0"})
    void internalNodeEqualsExportedOutput(String net, String module, String node) {
        try (Model plain = Models.load(file(net + ".onnx")); Model exported = Models.load(file(net + "_layers.onnx"))) {
            assertTrue(plain.layerNames().contains(module), plain.layerNames().toString());
            float[] want = exported.forward(probes, List.of(module)).get(module).data();
            Map<String, Activations> got = plain.forward(probes, List.of(module, node));
            float[] byModule = got.get(module).data(), byNode = got.get(node).data();
            assertEquals(want.length, byModule.length, module);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], byModule[i], 1e-5f + 1e-5f * Math.abs(want[i]), module + " at " + i);
                assertEquals(byModule[i], byNode[i], 0f, node + " at " + i);
            }
            // the output is unchanged by the extra graph outputs
            assertEquals(exported.forward(probes).get(0, 3), plain.forward(probes).get(0, 3), 1e-5f);
        }
    }

    /** Layer R_f of the plain export through --layer equals the export with the layers as outputs (same seed). */
    @Test
    void layerStabilityEqualsExportedLayers() {
        List<String> layers = List.of("features.2", "features.4", "classifier.2");
        StabilitySpec spec = new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 2, 7, layers);
        try (Model plain = Models.load(file("lenet.onnx")); Model exported = Models.load(file("lenet_layers.onnx"));
             JavaBackend b = new JavaBackend(2)) {
            CellResult p = new StabilityMeasurement(plain, b).run(probes, spec, (d, t) -> { }).get(0);
            CellResult e = new StabilityMeasurement(exported, b).run(probes, spec, (d, t) -> { }).get(0);
            for (String l : layers) {
                double want = e.layers().get(l).r().logmean(), got = p.layers().get(l).r().logmean();
                assertEquals(want, got, 1e-4 * want, l);
            }
            assertEquals(e.output().r().logmean(), p.output().r().logmean(), 1e-4 * e.output().r().logmean());
        }
    }

    @Test
    void layersAreListedInGraphOrderWithShapesAndShortForms() {
        try (Model m = Models.load(file("lenet.onnx"))) {
            List<LayerInfo> l = m.layers();
            List<String> names = l.stream().map(LayerInfo::name).toList();
            int conv = names.indexOf("/features/features.0/Conv_output_0"), relu = names.indexOf("/features/features.4/Relu_output_0");
            assertTrue(conv >= 0 && relu > conv, names.toString());
            assertEquals("[B, 6, 24, 24]", l.get(conv).shape());
            assertEquals(List.of("features.4"), l.get(relu).aliases());
            assertEquals("[B, 16, 8, 8]", l.get(relu).shape());
            LayerInfo last = l.get(names.indexOf("/features/features.5/MaxPool_output_0"));
            assertEquals(List.of("features.5", "features"), last.aliases());
            assertTrue(l.stream().noneMatch(i -> i.name().equals("logits")), "the model output is not a layer");
        }
    }

    @Test
    void unknownLayerIsOneLineListingWhatIsAvailable() {
        try (Model m = Models.load(file("lenet.onnx"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(probes, List.of("features.9")));
            assertTrue(e.getMessage().contains("found 'features.9'") && e.getMessage().contains("features.4")
                    && !e.getMessage().contains("\n"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.forward(probes, List.of("logits")), "the output is not a hidden layer");
        }
    }

    /**
     * Parameters and depth as the graph holds them (issue 21: measured models said -1 and 0). The LeNet
     * of tools/make_torch_models.py has PyTorch's 15,398 parameters and 4 weight layers; the ResNet's
     * longest path has 8 (conv1, two per block, fc: the 1x1 shortcut convolutions are beside it).
     */
    @org.junit.jupiter.api.Test
    void parametersAndDepthAreTheGraphs() {
        try (Model m = Models.load(file("lenet.onnx")); Model r = Models.load(file("resnet_bn.onnx"))) {
            assertEquals(15398, m.parameterCount().orElseThrow());
            assertEquals(4, m.depth().orElseThrow());
            assertEquals(8, r.depth().orElseThrow());
            assertEquals(RESNET_PARAMETERS, r.parameterCount().orElseThrow());
        }
    }

    /**
     * PyTorch's count for the ResNet (10,082) less 120: its ONNX export (eval mode) folded each batch-norm
     * into the convolution before it, a bias of c in place of gamma and beta's 2c, over 120 batch-norm channels.
     */
    static final long RESNET_PARAMETERS = 10082 - 120;
}
