package org.diffeo4j.data;

import org.diffeo4j.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @Test
    void idxWithSiblingLabels() {
        LabeledImages d = Datasets.load(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz"));
        assertEquals(2000, d.images().count());
        assertEquals(2000, d.labels().length);
        LabeledImages p = Probes.first(d, 10);
        assertEquals(d.labels()[9], p.labels()[9]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probes.first(d, 2001));
        assertTrue(e.getMessage().contains("probes") && e.getMessage().contains("2000") && e.getMessage().contains("2001"), e.getMessage());
    }

    @Test
    void randomProbesAreDistinctAndSeeded() {
        LabeledImages d = Datasets.load(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz"));
        LabeledImages a = Probes.random(d, 50, 3), b = Probes.random(d, 50, 3), c = Probes.random(d, 50, 4);
        assertArrayEquals(a.images().data(), b.images().data());
        assertNotEquals(Arrays.hashCode(a.images().data()), Arrays.hashCode(c.images().data()));
        assertEquals(2000, Probes.random(d, 2000, 1).images().count());
    }

    @Test
    void cifarBatchFile(@TempDir Path dir) throws Exception {
        byte[] b = new byte[2 * Cifar10.RECORD];
        b[0] = 7;
        b[1] = (byte) 255; // image 0, red, pixel (0, 0)
        b[Cifar10.RECORD] = 2;
        b[Cifar10.RECORD + 1 + 2048 + 33] = (byte) 51; // image 1, blue, pixel (1, 1)
        Files.write(dir.resolve("data_batch_1.bin"), b);
        LabeledImages d = Datasets.load(dir);
        assertArrayEquals(new int[]{7, 2}, d.labels());
        assertEquals(1f, d.images().data()[0]);
        assertEquals(0.2f, d.images().data()[3072 + 2048 + 33], 1e-7);
        Files.write(dir.resolve("data_batch_2.bin"), new byte[100]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(dir));
        assertTrue(e.getMessage().contains("3073") && e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void imageFolderWithClasses(@TempDir Path dir) throws Exception {
        ImageBatch one = ImageBatch.zeros(1, 1, 4, 4);
        one.data()[5] = 1;
        Files.createDirectories(dir.resolve("cat"));
        Files.createDirectories(dir.resolve("dog"));
        ImageFiles.writePng(one, 0, dir.resolve("cat/a.png"));
        ImageFiles.writePng(one, 0, dir.resolve("dog/b.png"));
        ImageFiles.writePng(one, 0, dir.resolve("dog/c.png"));
        LabeledImages d = Datasets.load(dir);
        assertArrayEquals(new int[]{0, 1, 1}, d.labels());
        assertEquals(1f, d.images().data()[16 + 5], 1e-6);
        Files.write(dir.resolve("dog/d.png"), new byte[]{1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(dir));
        assertTrue(e.getMessage().contains("d.png"), e.getMessage());
    }

    @Test
    void emptyFolderIsRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty-class"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(dir));
        assertTrue(e.getMessage().startsWith("data folder") && e.getMessage().contains("found none"), e.getMessage());
    }

    @Test
    void normalisationPerChannel() {
        ImageBatch x = new ImageBatch(1, 2, 1, 2, new float[]{0, 1, 0.5f, 0.5f});
        ImageBatch y = new Normalisation(new double[]{0.5, 0.25}, new double[]{0.5, 0.25}).apply(x);
        assertArrayEquals(new float[]{-1, 1, 1, 1}, y.data());
        assertNull(Datasets.labelsBeside(Path.of("x.npy")));
    }
}
