package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1-3), C order, dtypes float32, float64, uint8 and signed
 * integers. Shapes {@code (H, W)} (one image), {@code (N, H, W)} and {@code (N, C, H, W)}; a
 * channels-last {@code (N, H, W, C)} array is refused unless {@link Layout#NHWC} is asked for, when it
 * is transposed. Values follow {@link PixelRange}: integers divided by 255, floats as stored, then
 * every pixel in [0, 1].
 */
public final class Npy {
    /** Axis order of a 4-dimensional array. */
    public enum Layout {
        /** {@code (N, C, H, W)}, PyTorch's order: the default. */
        NCHW,
        /** {@code (N, H, W, C)}, TensorFlow's and most image libraries' order: transposed on reading. */
        NHWC;

        /** Parses {@code nchw|nhwc}. */
        public static Layout parse(String s) {
            String k = s == null ? "" : s.trim().toUpperCase(java.util.Locale.ROOT);
            for (Layout l : values()) {
                if (l.name().equals(k)) {
                    return l;
                }
            }
            throw new BadInputException("layout must be nchw or nhwc, found '" + s + "'");
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads an image array stored {@code (N, C, H, W)}. */
    public static ImageBatch readImages(Path path) {
        return readImages(path, Layout.NCHW);
    }

    /** Reads an image array whose 4-dimensional form is {@code layout}. */
    public static ImageBatch readImages(Path path, Layout layout) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("NPY file " + path + " must exist, found none");
        }
        try (InputStream raw = Streams.open(path); DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw new BadInputException(path + ": not an NPY file: expected magic \\x93NUMPY, found other bytes");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLen = major == 1 ? Short.toUnsignedInt(Short.reverseBytes(in.readShort())) : Integer.reverseBytes(in.readInt());
            byte[] hb = new byte[headerLen];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new BadInputException(path + ": NPY header must give descr, fortran_order and shape, found " + header.trim());
            }
            if (f.group(1).equals("True")) {
                throw new BadInputException(path + ": NPY array must be C order, found fortran_order True");
            }
            int[] shape = parseShape(s.group(1), path);
            char kind = d.group(2).charAt(0);
            int bytes = Integer.parseInt(d.group(3));
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            long total = 1;
            for (int v : shape) {
                total *= v;
            }
            if (total * bytes > Integer.MAX_VALUE - 8) {
                throw new BadInputException(path + ": NPY array must be smaller than 2 GB, found " + total * bytes + " bytes");
            }
            byte[] body = new byte[(int) (total * bytes)];
            try {
                in.readFully(body);
            } catch (EOFException e) {
                throw new BadInputException(path + ": corrupt NPY file: expected " + body.length + " data bytes for shape "
                        + java.util.Arrays.toString(shape) + ", found the file ends early");
            }
            float[] values = decode(ByteBuffer.wrap(body).order(order), kind, bytes, (int) total, path);
            int n, c, h, w;
            switch (shape.length) {
                case 2 -> { n = 1; c = 1; h = shape[0]; w = shape[1]; }
                case 3 -> { n = shape[0]; c = 1; h = shape[1]; w = shape[2]; }
                case 4 -> {
                    if (layout == Layout.NHWC) {
                        n = shape[0]; h = shape[1]; w = shape[2]; c = shape[3];
                        values = toChannelsFirst(values, n, h, w, c);
                    } else {
                        if (looksChannelsLast(shape)) {
                            throw new BadInputException(path + ": NPY images must be (N, C, H, W), channels first, found shape "
                                    + tuple(shape) + ", which is channels-last (N, H, W, C): transpose it (numpy: x.transpose(0, 3, 1, 2)) "
                                    + "or pass --layout nhwc");
                        }
                        n = shape[0]; c = shape[1]; h = shape[2]; w = shape[3];
                    }
                }
                default -> throw new BadInputException(path + ": NPY images must have shape (H, W), (N, H, W) or (N, C, H, W), found "
                        + tuple(shape));
            }
            if (layout == Layout.NHWC && shape.length != 4) {
                throw new BadInputException(path + ": NPY images read with --layout nhwc must have shape (N, H, W, C), found " + tuple(shape));
            }
            return PixelRange.require(new ImageBatch(n, c, h, w, values), path.toString(), dtypeName(kind, bytes), kind != 'f');
        } catch (EOFException e) {
            throw new BadInputException(path + ": corrupt NPY file: header ends early");
        } catch (IOException e) {
            throw new BadInputException(path + ": unreadable NPY file (" + e.getMessage() + ")");
        }
    }

    /** Writes float32 images as {@code (N, C, H, W)}, little-endian. */
    public static void write(Path path, ImageBatch images) throws IOException {
        Files.write(path, bytes(images));
    }

    /** The bytes of an NPY file holding float32 images as {@code (N, C, H, W)}, little-endian. */
    public static byte[] bytes(ImageBatch images) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + images.count() + ", " + images.channels() + ", "
                + images.height() + ", " + images.width() + "), }";
        int pad = 16 - (10 + dict.length() + 1) % 16;
        String header = dict + " ".repeat(pad % 16) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * images.data().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : images.data()) {
            buf.putFloat(v);
        }
        return buf.array();
    }

    /** A last axis of 1, 3 or 4 (grey, RGB, RGBA) behind a second axis that cannot be channels. */
    static boolean looksChannelsLast(int[] shape) {
        return isChannels(shape[3]) && !isChannels(shape[1]);
    }

    private static boolean isChannels(int v) {
        return v == 1 || v == 3 || v == 4;
    }

    private static float[] toChannelsFirst(float[] v, int n, int h, int w, int c) {
        float[] out = new float[v.length];
        for (int s = 0; s < n; s++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[((s * c + ch) * h + y) * w + x] = v[((s * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return out;
    }

    private static String tuple(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            b.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return b.append(')').toString();
    }

    private static String dtypeName(char kind, int bytes) {
        return (kind == 'f' ? "float" : kind == 'u' ? "uint" : "int") + (8 * bytes);
    }

    private static int[] parseShape(String s, Path path) {
        String[] parts = s.split(",");
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        for (String p : parts) {
            if (!p.isBlank()) {
                try {
                    dims.add(Integer.parseInt(p.trim()));
                } catch (NumberFormatException e) {
                    throw new BadInputException(path + ": NPY shape must hold integers, found (" + s + ")");
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] decode(ByteBuffer b, char kind, int bytes, int n, Path path) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = switch (kind + "" + bytes) {
                case "f4" -> b.getFloat();
                case "f8" -> (float) b.getDouble();
                case "u1" -> (b.get() & 0xFF) / PixelRange.INTEGER_SCALE;
                case "i1" -> b.get() / PixelRange.INTEGER_SCALE;
                case "i2" -> b.getShort() / PixelRange.INTEGER_SCALE;
                case "i4" -> b.getInt() / PixelRange.INTEGER_SCALE;
                case "i8" -> b.getLong() / PixelRange.INTEGER_SCALE;
                default -> throw new BadInputException(path + ": NPY dtype must be float32, float64, uint8 or int, found "
                        + kind + bytes);
            };
        }
        return v;
    }
}
