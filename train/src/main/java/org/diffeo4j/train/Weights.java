package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A net's arrays in a small file of its own ("D4JW", version, count, then per array its name, its
 * size and big-endian floats), plus extra arrays (optimiser moments) and a step count for
 * checkpoints. Written to a temporary file and renamed, so a kill leaves the old file or the new one.
 */
final class Weights {
    private static final int MAGIC = 0x44344A57, VERSION = 1;

    private Weights() {
    }

    /** Writes {@code meta} (a short text), the net's parameters, then {@code extra} arrays, atomically. */
    static void write(Path file, Net net, String meta, long steps, List<NDArray> extra) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(org.diffeo4j.report.Files2.newFile(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(meta);
            out.writeLong(steps);
            List<Pair<String, Parameter>> ps = net.parameters();
            out.writeInt(ps.size());
            out.writeInt(extra.size());
            for (Pair<String, Parameter> p : ps) {
                out.writeUTF(p.getKey());
                floats(out, p.getValue().getArray().toFloatArray());
            }
            for (NDArray a : extra) {
                out.writeUTF("state");
                floats(out, a.toFloatArray());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What a file holds: the step count and the extra arrays (the net's own are set in place). */
    record Extra(String meta, long steps, List<float[]> arrays) {
    }

    /** Reads {@code file} into {@code net}; one-line errors when it does not fit. */
    static Extra read(Path file, Net net) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new BadInputException("weights must be a diffeo4j weight file (version " + VERSION + "), found " + file);
            }
            String meta = in.readUTF();
            long steps = in.readLong();
            List<Pair<String, Parameter>> ps = net.parameters();
            int n = in.readInt(), extra = in.readInt();
            if (n != ps.size()) {
                throw new BadInputException("weights must hold " + ps.size() + " arrays for " + net.id() + ", found " + n + " in " + file);
            }
            for (Pair<String, Parameter> p : ps) {
                String name = in.readUTF();
                float[] v = readFloats(in);
                NDArray a = p.getValue().getArray();
                if (!name.equals(p.getKey()) || v.length != a.size()) {
                    throw new BadInputException("weights must hold " + p.getKey() + " of size " + a.size() + ", found " + name
                            + " of size " + v.length + " in " + file);
                }
                Arrays2.assign(a, v);
            }
            List<float[]> rest = new ArrayList<>();
            for (int i = 0; i < extra; i++) {
                in.readUTF();
                rest.add(readFloats(in));
            }
            return new Extra(meta, steps, rest);
        }
    }

    /** Only the text written with the weights (cheap: the arrays are not read). */
    static String meta(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new BadInputException("weights must be a diffeo4j weight file (version " + VERSION + "), found " + file);
            }
            return in.readUTF();
        }
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
