package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * IDX files (LeCun's MNIST format), gzipped or not (detected from the content, not the name).
 * Images: 3 dimensions {@code [N, H, W]} become {@code [N, 1, H, W]}; 4 dimensions are read as
 * {@code [N, C, H, W]}. Values follow {@link PixelRange}: integer data divided by 255, float and
 * double data as stored, then every pixel in [0, 1].
 */
public final class Idx {
    private Idx() {
    }

    /** Reads an image file. */
    public static ImageBatch readImages(Path path) {
        Raw raw = read(path);
        int[] d = raw.dims;
        if (d.length != 3 && d.length != 4) {
            throw new BadInputException(path + ": IDX images must have 3 dimensions [N, H, W] or 4 [N, C, H, W], found "
                    + d.length + " " + java.util.Arrays.toString(d));
        }
        int n = d[0], c = d.length == 4 ? d[1] : 1, h = d[d.length - 2], w = d[d.length - 1];
        boolean integer = raw.type != 0x0D && raw.type != 0x0E;
        float[] v = raw.values;
        if (integer && raw.type != 0x08) { // unsigned bytes are already divided as they are read
            v = v.clone();
            for (int k = 0; k < v.length; k++) {
                v[k] /= PixelRange.INTEGER_SCALE;
            }
        }
        String dtype = switch (raw.type) {
            case 0x08 -> "uint8";
            case 0x09 -> "int8";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            default -> "float64";
        };
        return PixelRange.require(new ImageBatch(n, c, h, w, v), path.toString(), dtype, integer);
    }

    /** Reads a label file (1 dimension, integer type). */
    public static int[] readLabels(Path path) {
        Raw raw = read(path);
        if (raw.dims.length != 1) {
            throw new BadInputException(path + ": IDX labels must have 1 dimension, found " + raw.dims.length);
        }
        int[] labels = new int[raw.values.length];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = raw.type == 0x08 ? Math.round(raw.values[k] * 255f) : (int) raw.values[k];
        }
        return labels;
    }

    private record Raw(int type, int[] dims, float[] values) {
    }

    private static Raw read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("IDX file " + path + " must exist, found none");
        }
        try (InputStream in = Streams.open(path); DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xFF, rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || rank < 1 || rank > 4 || bytesPer(type) == 0) {
                throw new BadInputException(path + ": not an IDX file: expected magic 0x0000TTRR with a known type, found 0x"
                        + Integer.toHexString(magic));
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int k = 0; k < rank; k++) {
                dims[k] = data.readInt();
                if (dims[k] < 0) {
                    throw new BadInputException(path + ": IDX dimension " + k + " must be >= 0, found " + dims[k]);
                }
                total *= dims[k];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new BadInputException(path + ": IDX data must hold fewer than 2^31 values, found " + total);
            }
            float[] v = new float[(int) total];
            try {
                for (int k = 0; k < v.length; k++) {
                    v[k] = switch (type) {
                        case 0x08 -> data.readUnsignedByte() / 255f;
                        case 0x09 -> data.readByte();
                        case 0x0B -> data.readShort();
                        case 0x0C -> data.readInt();
                        case 0x0D -> data.readFloat();
                        default -> (float) data.readDouble();
                    };
                }
            } catch (EOFException e) {
                throw new BadInputException(path + ": corrupt IDX file: expected " + total + " values for shape "
                        + java.util.Arrays.toString(dims) + ", found the file ends early");
            }
            return new Raw(type, dims, v);
        } catch (EOFException e) {
            throw new BadInputException(path + ": corrupt IDX file: header ends early");
        } catch (IOException e) {
            throw new BadInputException(path + ": unreadable IDX file (" + e.getMessage() + ")");
        }
    }

    private static int bytesPer(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }
}
