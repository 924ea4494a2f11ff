package org.diffeo4j.cli;

import com.google.gson.JsonObject;
import org.diffeo4j.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.diffeo4j.cli.CliTest.assertInputError;
import static org.diffeo4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code diffeo layers} and {@code measure --layer} on the nets tools/make_torch_models.py wrote. */
class LayersCommandTest {
    private static String model(String file) {
        return SharedFiles.testData().resolve("torch").resolve(file).toString();
    }

    @Test
    void listsOnnxNodeOutputsWithShapesAndShortForms() {
        CliTest.Run r = run("layers", "--model", model("lenet.onnx"));
        assertEquals(0, r.code(), r.err());
        String relu = r.out().lines().filter(l -> l.startsWith("/features/features.4/Relu_output_0")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(relu.contains("[B, 16, 8, 8]") && relu.endsWith("features.4"), relu);
        assertTrue(r.out().indexOf("/features/features.0/Conv_output_0") < r.out().indexOf("/classifier/classifier.1/Gemm_output_0"), "graph order: " + r.out());
    }

    /** TorchScript records no shapes: one forward of the first bundled digit gives them (issue 21: every one was "unknown"). */
    @Test
    void listsTorchScriptModulesWithTheShapesOfAProbe() {
        CliTest.Run r = run("layers", "--model", model("resnet_bn.pt"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("layer2\\.0 +\\[B, 16, 14, 14\\] +-")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("layer3 +\\[B, 16, 7, 7\\] +-")), r.out());
        assertFalse(r.out().contains("unknown"), r.out());
        assertTrue(r.out().contains("shapes from one forward of the first bundled digit [1, 1, 28, 28]"), r.out());
        CliTest.Run d = run("layers", "--model", model("lenet.pt"), "--data", MeasureCommandTest.mnist());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().lines().anyMatch(l -> l.matches("features\\.4 +\\[B, 16, 8, 8\\] +-")), d.out());
        assertTrue(d.out().lines().anyMatch(l -> l.matches("classifier\\.1 +\\[B, 48\\] +-")), d.out());
        assertTrue(d.out().contains("shapes from one forward of the first image of " + MeasureCommandTest.mnist()), d.out());
    }

    /** A folder of diffeo train and a DL4J zip: a forward of zeros of the input shape they record. */
    @Test
    void listsTrainedAndDl4jLayersWithShapes(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("model");
        try (org.diffeo4j.train.Net net = org.diffeo4j.train.Architectures.build(org.diffeo4j.train.Arch.LENET, new int[]{1, 28, 28}, 10, 7)) {
            org.diffeo4j.train.ModelDir.write(folder, net, 7, 0, false);
        }
        CliTest.Run r = run("layers", "--model", folder.toString());
        assertEquals(0, r.code(), r.err());
        for (String row : new String[]{"conv1 +\\[B, 6, 12, 12\\] +-", "conv2 +\\[B, 16, 4, 4\\] +-", "fc1 +\\[B, 120\\] +-", "fc2 +\\[B, 84\\] +-"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches(row)), row + " in " + r.out());
        }
        assertTrue(r.out().contains("shapes from one forward of zeros of the model's input shape [1, 1, 28, 28]"), r.out());
        Path zip = org.diffeo4j.dl4j.Dl4jNets.save(org.diffeo4j.dl4j.Dl4jNets.smallConv(1), dir.resolve("conv.zip"));
        CliTest.Run z = run("layers", "--model", zip.toString());
        assertEquals(0, z.code(), z.err());
        for (String row : new String[]{"conv1 +\\[B, 6, 24, 24\\] +-", "pool1 +\\[B, 6, 12, 12\\] +-", "fc1 +\\[B, 32\\] +-"}) {
            assertTrue(z.out().lines().anyMatch(l -> l.matches(row)), row + " in " + z.out());
        }
    }

    /** A hidden node by its short form gives the layer R_f of the export that has it as an output (same seed). */
    @Test
    void measureTakesInternalOnnxNodes() {
        String[] common = {"--data", MeasureCommandTest.mnist(), "--probes", "100", "--realisations", "2", "--format", "json", "--backend", "java"};
        JsonObject plain = MeasureCommandTest.json(run(concat(new String[]{"measure", "--model", model("lenet.onnx"), "--layer", "features.4"}, common)));
        JsonObject exported = MeasureCommandTest.json(run(concat(new String[]{"measure", "--model", model("lenet_layers.onnx"), "--layer", "features.4"}, common)));
        double a = layerR(plain), b = layerR(exported);
        assertEquals(b, a, 1e-4 * b);
    }

    /** The acceptance run on a TorchScript file: R_f within e^0.1 of the PyTorch reference protocol (expected.json). */
    @Test
    void measureOnTorchScriptMatchesThePyTorchReference() throws Exception {
        JsonObject ref = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(
                SharedFiles.testData().resolve("torch/expected.json"))).getAsJsonObject();
        double want = ref.getAsJsonObject("nets").getAsJsonObject("lenet").getAsJsonObject("stability").getAsJsonObject("output")
                .getAsJsonArray("R").asList().stream().mapToDouble(v -> Math.log(v.getAsDouble())).average().orElseThrow();
        JsonObject o = MeasureCommandTest.json(run("measure", "--model", model("lenet.pt"), "--data", MeasureCommandTest.mnist(),
                "--probes", "500", "--realisations", "4", "--format", "json", "--backend", "java"));
        double got = Math.log(MeasureCommandTest.r(o, 0));
        assertTrue(Math.abs(got - want) < 0.1, "ln R_f " + got + " vs PyTorch's " + want);
        assertTrue(o.getAsJsonObject("provenance").getAsJsonObject("versions").get("model_runtime").getAsString().startsWith("DJL 0.36.0 / PyTorch 2.7.1"),
                o.getAsJsonObject("provenance").toString());
    }

    @Test
    void unknownLayerIsAnInputErrorListingTheLayers() {
        assertInputError(run("measure", "--model", model("lenet.onnx"), "--data", MeasureCommandTest.mnist(), "--probes", "10",
                "--layer", "features.9", "--backend", "java"), "features.4");
        assertInputError(run("measure", "--model", model("resnet_bn.pt"), "--data", MeasureCommandTest.mnist(), "--probes", "10",
                "--layer", "layer2.0.downsample", "--backend", "java"), "layer2.0.conv2");
    }

    private static double layerR(JsonObject o) {
        return o.getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonObject("layers").getAsJsonObject("features.4")
                .getAsJsonObject("R").get("logmean").getAsDouble();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
