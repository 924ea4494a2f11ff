package org.diffeo4j.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes minimal ONNX files by hand (protobuf wire format, no onnx package needed): a graph with one
 * {@code Flatten} node, so f(x) = x flattened. Dimensions of -1 are symbolic ("N").
 */
final class TinyOnnx {
    private TinyOnnx() {
    }

    /** Input {@code x} of shape {@code dims} to output {@code y} = Flatten(x), opset 13. */
    static byte[] flatten(long... dims) {
        byte[] node = concat(str(1, "x"), str(2, "y"), str(4, "Flatten"));
        long rest = 1;
        for (int a = 1; a < dims.length; a++) {
            rest *= dims[a];
        }
        byte[] graph = concat(msg(1, node), str(2, "g"), msg(11, valueInfo("x", dims)), msg(12, valueInfo("y", dims[0], rest)));
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
        return concat(raw((field << 3)), raw(v));
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
