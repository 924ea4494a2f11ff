package org.diffeo4j.torch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.SharedFiles;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input gradients of TorchScript nets through DJL equal PyTorch's (tools/make_torch_gradients.py:
 * eval mode, gradient of sum(v * f(x))), and the outputs of the gradient pass equal the model's forward.
 */
class TorchScriptGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"lenet.pt", "resnet_bn.pt"})
    void gradientsArePyTorchs(String name) throws Exception {
        JsonObject ref = JsonParser.parseString(Files.readString(SharedFiles.testData().resolve("torch/gradients.json")))
                .getAsJsonObject().getAsJsonObject("models").getAsJsonObject(name);
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 4);
        try (Model m = TorchScriptModel.load(SharedFiles.testData().resolve("torch").resolve(name), org.diffeo4j.model.Options.threads(2))) {
            Differentiable d = (Differentiable) m;
            Differentiable.InputGradient g = d.inputGradient(x, out -> {
                float[] v = new float[out.data().length];
                for (int b = 0; b < out.count(); b++) {
                    for (int k = 0; k < out.units(); k++) {
                        v[b * out.units() + k] = (float) Math.sin(1 + 7 * b + 3 * k);
                    }
                }
                return v;
            });
            float[] want = floats(ref.getAsJsonArray("gradient")), outputs = floats(ref.getAsJsonArray("outputs"));
            double scale = 0;
            for (float w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            assertTrue(scale > 0.01);
            for (int e = 0; e < want.length; e++) {
                assertEquals(want[e], g.gradient()[e], 1e-5 * scale, name + " gradient element " + e);
            }
            assertArrayEquals(outputs, g.outputs().data(), 1e-4f, name + ": outputs of the gradient pass");
            assertArrayEquals(m.forward(x).data(), g.outputs().data(), 1e-5f, name + ": the gradient pass is the inference forward");
            assertEquals(null, d.noGradientReason());
        }
    }

    private static float[] floats(JsonArray a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }
}
