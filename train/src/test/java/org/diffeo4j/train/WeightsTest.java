package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The checkpoint format is the one written before the chunked conversion, byte for byte, and reads back exactly. */
class WeightsTest {
    @BeforeAll
    static void oneThread() {
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(1));
    }

    @Test
    void theFileIsTheFormatOfPerValueWritesAndReadsBackExactly(@TempDir Path dir) throws IOException {
        // More floats than one conversion chunk (16,384), and values whose
        // bits matter: signed zero, subnormal, infinities, a NaN (floatToIntBits' canonical one).
        float[] odd = new float[40_000];
        for (int i = 0; i < odd.length; i++) {
            odd[i] = switch (i % 7) {
                case 0 -> -0f;
                case 1 -> Float.MIN_VALUE;
                case 2 -> Float.POSITIVE_INFINITY;
                case 3 -> Float.NEGATIVE_INFINITY;
                case 4 -> Float.NaN;
                default -> (float) Math.sin(i) * 1e-3f * i;
            };
        }
        try (Net net = Architectures.build(Arch.VGG, new int[]{1, 28, 28}, 10, 3); NDManager m = TorchRuntime.newManager()) {
            NDArray extra = m.create(odd);
            Path file = dir.resolve("w.bin");
            Weights.write(file, net, "key\nline", 17, List.of(extra));

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(expected)) {
                out.writeInt(0x44344A57);
                out.writeInt(1);
                out.writeUTF("key\nline");
                out.writeLong(17);
                out.writeInt(net.parameters().size());
                out.writeInt(1);
                for (Pair<String, Parameter> p : net.parameters()) {
                    out.writeUTF(p.getKey());
                    perValue(out, p.getValue().getArray().toFloatArray());
                }
                out.writeUTF("state");
                perValue(out, odd);
            }
            assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));

            try (Net other = Architectures.build(Arch.VGG, new int[]{1, 28, 28}, 10, 4)) {
                Weights.Extra read = Weights.read(file, other);
                assertEquals(17, read.steps());
                assertEquals(1, read.arrays().size());
                assertEquals(odd.length, read.arrays().get(0).length);
                for (int i = 0; i < odd.length; i++) {
                    assertEquals(Float.floatToIntBits(odd[i]), Float.floatToIntBits(read.arrays().get(0)[i]), "extra value " + i);
                }
                for (int i = 0; i < net.parameters().size(); i++) {
                    assertArrayEquals(net.parameters().get(i).getValue().getArray().toFloatArray(),
                            other.parameters().get(i).getValue().getArray().toFloatArray(), net.parameters().get(i).getKey());
                }
            }
        }
    }

    private static void perValue(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }
}
