package org.diffeo4j.data;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadersTest {
    @TempDir
    Path dir;

    @Test
    void readsTheSharedMnistIdx() {
        ImageBatch b = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz"));
        assertEquals("[2000, 1, 28, 28]", b.shapeString());
        int[] labels = Idx.readLabels(SharedFiles.root().resolve("data/mnist/t10k-labels-idx1-ubyte.gz"));
        assertEquals(2000, labels.length);
        assertTrue(labels[0] >= 0 && labels[0] <= 9);
        float max = 0;
        for (float v : b.data()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void floatIdxGzippedOrNotAndNaNRefused() throws IOException {
        float[] v = {0.25f, 0.5f, 0.75f, 1f};
        writeFloatIdx(dir.resolve("a.idx"), v, false);
        writeFloatIdx(dir.resolve("a.idx.gz"), v, true);
        assertArrayEquals(v, Idx.readImages(dir.resolve("a.idx")).data());
        assertArrayEquals(v, Idx.readImages(dir.resolve("a.idx.gz")).data());
        writeFloatIdx(dir.resolve("nan.idx"), new float[]{0, Float.NaN, 0, 0}, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(dir.resolve("nan.idx")));
        assertTrue(e.getMessage().contains("pixels must be finite numbers, found NaN"), e.getMessage());
    }

    @Test
    void truncatedAndForeignIdxAreRefused() throws IOException {
        byte[] full = Files.readAllBytes(SharedFiles.root().resolve("data/mnist/t10k-labels-idx1-ubyte.gz"));
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(cut));
        Path text = dir.resolve("text.idx");
        Files.writeString(text, "hello world, not an idx file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(text));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("must exist"), missing.getMessage());
    }

    @Test
    void npyRoundTripAndNaNRefused() throws IOException {
        ImageBatch b = TestImages.random(2, 3, 4, 5, 1);
        Npy.write(dir.resolve("b.npy"), b);
        ImageBatch back = Npy.readImages(dir.resolve("b.npy"));
        assertEquals(b.shapeString(), back.shapeString());
        assertArrayEquals(b.data(), back.data());
        b.data()[7] = Float.NaN;
        Npy.write(dir.resolve("nan.npy"), b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.readImages(dir.resolve("nan.npy")));
        assertTrue(e.getMessage().contains("found NaN in image 0 (flat index 7)"), e.getMessage());
        Path trunc = dir.resolve("trunc.npy");
        byte[] all = Files.readAllBytes(dir.resolve("b.npy"));
        Files.write(trunc, java.util.Arrays.copyOf(all, all.length - 10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.readImages(trunc)).getMessage().contains("corrupt NPY"));
    }

    @Test
    void pngRoundTripsThroughEightBits() throws IOException {
        ImageBatch b = TestImages.random(1, 3, 6, 7, 2);
        ImageFiles.writePng(b, 0, dir.resolve("x.png"));
        ImageBatch back = ImageFiles.read(dir.resolve("x.png"));
        assertEquals("[1, 3, 6, 7]", back.shapeString());
        for (int k = 0; k < b.data().length; k++) {
            assertEquals(b.data()[k], back.data()[k], 0.5 / 255 + 1e-6);
        }
        Files.writeString(dir.resolve("bad.png"), "not a png");
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(dir.resolve("bad.png")));
    }

    private static void writeFloatIdx(Path p, float[] v, boolean gz) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeInt(0x00000D03);
            d.writeInt(1);
            d.writeInt(2);
            d.writeInt(v.length / 2);
            for (float f : v) {
                d.writeFloat(f);
            }
        }
        try (OutputStream o = gz ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes.toByteArray());
        }
    }
}
