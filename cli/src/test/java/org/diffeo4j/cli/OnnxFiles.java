package org.diffeo4j.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Malformed-for-the-protocol ONNX files written by hand (protobuf wire format, as model-onnx's
 * TinyOnnx does): valid graphs ONNX Runtime loads, with two inputs, or with an output of shape [B].
 */
final class OnnxFiles {
    private OnnxFiles() {
    }

    /** y = x + z: two image inputs [N, 1, 28, 28]. */
    static byte[] twoInputs() {
        byte[] node = concat(str(1, "x"), str(1, "z"), str(2, "y"), str(4, "Add"));
        byte[] graph = concat(msg(1, node), str(2, "g"), msg(11, valueInfo("x", -1, 1, 28, 28)), msg(11, valueInfo("z", -1, 1, 28, 28)),
                msg(12, valueInfo("y", -1, 1, 28, 28)));
        return model(graph);
    }

    /** y = the mean of each image: input [N, 1, 28, 28], output [N] (one number, no class axis). */
    static byte[] scalarOutput() {
        byte[] axes = concat(str(1, "axes"), varint(20, 7), varint(8, 1), varint(8, 2), varint(8, 3));
        byte[] keep = concat(str(1, "keepdims"), varint(20, 2), varint(3, 0));
        byte[] node = concat(str(1, "x"), str(2, "y"), str(4, "ReduceMean"), msg(5, axes), msg(5, keep));
        byte[] graph = concat(msg(1, node), str(2, "g"), msg(11, valueInfo("x", -1, 1, 28, 28)), msg(12, valueInfo("y", -1)));
        return model(graph);
    }

    private static byte[] model(byte[] graph) {
        return concat(varint(1, 8), str(2, "diffeo4j-test"), msg(7, graph), msg(8, concat(str(1, ""), varint(2, 13))));
    }

    private static byte[] valueInfo(String name, long... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (long d : dims) {
            shape.writeBytes(msg(1, d < 0 ? str(2, "N") : varint(1, d)));
        }
        byte[] tensor = concat(varint(1, 1), msg(2, shape.toByteArray()));
        return concat(str(1, name), msg(2, msg(1, tensor)));
    }

    private static byte[] varint(int field, long v) {
        return concat(raw(field << 3), raw(v));
    }

    private static byte[] str(int field, String s) {
        return msg(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] msg(int field, byte[] body) {
        return concat(raw((field << 3) | 2), raw(body.length), body);
    }

    private static byte[] raw(long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            o.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return o.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
