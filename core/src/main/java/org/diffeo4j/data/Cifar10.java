package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR-10 binary batches ({@code data_batch_1.bin} ... {@code test_batch.bin}): records of 1 label
 * byte then 3 x 32 x 32 bytes (R, G, B planes, row-major), scaled to [0, 1]. A folder reads every
 * {@code .bin} in it, in name order. Gzipped files are accepted.
 */
public final class Cifar10 {
    /** Bytes per record. */
    public static final int RECORD = 1 + 3 * 32 * 32;

    private Cifar10() {
    }

    /** Reads one batch file, or every {@code .bin} of a folder. */
    public static LabeledImages read(Path path) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new BadInputException("CIFAR-10 folder " + path + " must be readable, found " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new BadInputException("CIFAR-10 folder " + path + " must hold .bin batch files, found none");
            }
        } else {
            files.add(path);
        }
        List<byte[]> parts = new ArrayList<>();
        long records = 0;
        for (Path f : files) {
            byte[] b = readAll(f);
            if (b.length == 0 || b.length % RECORD != 0) {
                throw new BadInputException(f + ": CIFAR-10 batch must be a whole number of " + RECORD
                        + "-byte records, found " + b.length + " bytes");
            }
            parts.add(b);
            records += b.length / RECORD;
        }
        if (records * 3072 > Integer.MAX_VALUE - 8) {
            throw new BadInputException(path + ": CIFAR-10 data must fit one batch (< 699050 images), found " + records);
        }
        int n = (int) records, s = 0;
        float[] data = new float[n * 3072];
        int[] labels = new int[n];
        for (byte[] b : parts) {
            for (int r = 0; r < b.length / RECORD; r++, s++) {
                int label = b[r * RECORD] & 0xFF;
                if (label > 9) {
                    throw new BadInputException(path + ": CIFAR-10 labels must be 0..9, found " + label + " in record " + s);
                }
                labels[s] = label;
                for (int k = 0; k < 3072; k++) {
                    data[s * 3072 + k] = (b[r * RECORD + 1 + k] & 0xFF) / 255f;
                }
            }
        }
        return new LabeledImages(new ImageBatch(n, 3, 32, 32, data), labels, path.toString());
    }

    private static byte[] readAll(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new BadInputException("CIFAR-10 batch " + f + " must exist, found none");
        }
        try (InputStream in = Streams.open(f)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BadInputException(f + ": CIFAR-10 batch must be readable, found corrupt data (" + e.getMessage() + ")");
        }
    }
}
