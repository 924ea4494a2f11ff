package org.diffeo4j.cpu;

import org.diffeo4j.data.Floats;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.FieldBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * ND4J arrays as direct batches: an {@code INDArray}'s off-heap buffer becomes an
 * {@link ImageBatch} / {@link FieldBatch} view (from {@code data().asNio()}, cut at the array's
 * offset and length), which the native backend reads in place through the ordinary
 * {@link org.diffeo4j.backend.DiffeoBackend} interface, so a DL4J pipeline deforms its batches
 * without a copy. Arrays must be float32,
 * C-ordered and contiguous (a view such as {@code get(interval(a, b))} of a batch qualifies);
 * anything else is refused with a message rather than copied behind the caller's back.
 *
 * <p>ND4J is an optional dependency of this module: this class needs nd4j-api (and a backend such as
 * nd4j-native) on the class path; the rest of the module does not.
 */
public final class Nd4jArrays {
    private Nd4jArrays() {
    }

    /**
     * An image batch over {@code a} [N, C, H, W] (a view of its off-heap memory, not a copy) for any
     * {@link org.diffeo4j.backend.DiffeoBackend} operation: the native backend reads and writes it
     * in place, e.g. {@code backend.deformInto(Nd4jArrays.images("in", in), spec, seed, first,
     * Nd4jArrays.images("out", out))}.
     *
     * @param name the argument's name, for messages
     */
    public static ImageBatch images(String name, INDArray a) {
        long[] s = requireShape(name, a, 4);
        return ImageBatch.wrap((int) s[0], (int) s[1], (int) s[2], (int) s[3], view(name, a));
    }

    /** A field batch over {@code dx}, {@code dy} [N, H, W] (views of their memory, not copies). */
    public static FieldBatch fields(INDArray dx, INDArray dy) {
        long[] s = requireShape("dx", dx, 3);
        requireSame("dy", dy, s);
        return new FieldBatch((int) s[0], (int) s[1], (int) s[2], Floats.direct(view("dx", dx)), Floats.direct(view("dy", dy)));
    }

    /** A direct float view of the array's own memory, positioned at its first element. */
    static FloatBuffer view(String name, INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be a FLOAT array, found " + a.dataType());
        }
        if (a.ordering() != 'c' || !isContiguous(a)) {
            throw new IllegalArgumentException(name + " must be a C-ordered contiguous array (dup('c') it first), found ordering '"
                    + a.ordering() + "' with strides " + Arrays.toString(a.stride()));
        }
        FloatBuffer f = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (!f.isDirect()) {
            throw new IllegalArgumentException(name + " must live off-heap (an nd4j-native array), found a heap buffer");
        }
        int from = Math.toIntExact(a.offset());
        return f.position(from).limit(Math.toIntExact(from + a.length())).slice();
    }

    private static boolean isContiguous(INDArray a) {
        long[] shape = a.shape(), stride = a.stride();
        long expect = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] != 1 && stride[k] != expect) {
                return false;
            }
            expect *= shape[k];
        }
        return true;
    }

    private static long[] requireShape(String name, INDArray a, int rank) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + (rank == 4 ? " [N, C, H, W]" : " [N, H, W]") + ", found shape " + Arrays.toString(a.shape()));
        }
        return a.shape();
    }

    private static void requireSame(String name, INDArray a, long[] shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + Arrays.toString(shape) + ", found " + Arrays.toString(a.shape()));
        }
    }
}
