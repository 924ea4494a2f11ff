package org.diffeo4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntToDoubleFunction;

/** NPY files of any shape and of dtype float32 or int64 (Npy.write only writes float32 NCHW). */
final class NpyFiles {
    private NpyFiles() {
    }

    /** {@code value(k)} for the k-th element in C order, stored as {@code descr} ("<f4" or "<i8"). */
    static Path write(Path path, String descr, int[] shape, IntToDoubleFunction value) throws IOException {
        StringBuilder s = new StringBuilder();
        int n = 1;
        for (int d : shape) {
            s.append(d).append(", ");
            n *= d;
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + s.toString().strip() + "), }";
        int pad = (16 - (10 + dict.length() + 1) % 16) % 16;
        String header = dict + " ".repeat(pad) + "\n";
        int bytes = descr.endsWith("8") ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + bytes * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k < n; k++) {
            if (descr.equals("<i8")) {
                b.putLong((long) value.applyAsDouble(k));
            } else {
                b.putFloat((float) value.applyAsDouble(k));
            }
        }
        return Files.write(path, b.array());
    }
}
