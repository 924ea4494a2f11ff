package org.diffeo4j.cpu;

import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Zero-copy entry points for ND4J arrays on the native backend: an {@code INDArray}'s off-heap
 * buffer goes to C++ as it is (a direct view from {@code data().asNio()}, positioned at the array's
 * offset), so a DL4J pipeline deforms its batches without a copy. Arrays must be float32,
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
     * Deforms {@code in} [N, C, H, W] into {@code out} (same shape) with a distinct diffeo per sample
     * at (seed, firstSample + s), as {@link NativeBackend#deform}.
     *
     * @param in not modified
     * @param out overwritten; must not overlap {@code in}
     */
    public static void deform(NativeBackend backend, INDArray in, INDArray out, DiffeoSpec spec, long seed, long firstSample) {
        long[] s = requireShape("in", in, 4);
        requireSame("out", out, s);
        backend.deform(view("in", in), view("out", out), (int) s[0], (int) s[1], (int) s[2], (int) s[3], spec, seed, firstSample);
    }

    /**
     * Remaps {@code in} [N, C, H, W] through fields {@code dx}, {@code dy} [N, H, W] into {@code out}.
     *
     * @param in, dx, dy not modified; {@code out} overwritten, must not overlap {@code in}
     */
    public static void remap(NativeBackend backend, INDArray in, INDArray dx, INDArray dy, INDArray out, Interpolation interp) {
        long[] s = requireShape("in", in, 4);
        requireSame("out", out, s);
        long[] f = {s[0], s[2], s[3]};
        requireSame("dx", dx, f);
        requireSame("dy", dy, f);
        backend.remap(view("in", in), view("dx", dx), view("dy", dy), view("out", out), (int) s[0], (int) s[1], (int) s[2],
                (int) s[3], interp);
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
        f.position(Math.toIntExact(a.offset()));
        return f;
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
            throw new IllegalArgumentException(name + " must have rank " + rank + " [N, C, H, W], found shape " + Arrays.toString(a.shape()));
        }
        return a.shape();
    }

    private static void requireSame(String name, INDArray a, long[] shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + Arrays.toString(shape) + ", found " + Arrays.toString(a.shape()));
        }
    }
}
