package org.diffeo4j.onnx;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PyTorch's node scopes to qualified module names (names as torch.onnx.export 1.13 writes them). */
class OnnxGraphTest {
    @Test
    void scopesBecomeQualifiedModuleNames() {
        assertEquals(List.of("features", "features.4"), OnnxGraph.scopes("/features/features.4/Relu"));
        assertEquals(List.of("layer2", "layer2.0", "layer2.0.downsample", "layer2.0.downsample.0"),
                OnnxGraph.scopes("/layer2/layer2.0/downsample/downsample.0/Conv"));
        assertEquals(List.of("layer3", "layer3.0", "layer3.0.conv1"), OnnxGraph.scopes("/layer3/layer3.0/conv1/Conv"));
        assertEquals(List.of("conv1"), OnnxGraph.scopes("/conv1/Conv"));
        assertEquals(List.of(), OnnxGraph.scopes("Conv_12"), "unscoped names (older exporters) have no short form");
    }
}
