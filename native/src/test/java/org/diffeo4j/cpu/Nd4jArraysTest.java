package org.diffeo4j.cpu;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INDArrays in and out of the native backend, against the heap path of the same backend. */
class Nd4jArraysTest {
    @Test
    void deformAndRemapMatchTheHeapPathWithoutCopies() {
        try (NativeBackend b = NativeLibrary.open(2, 0)) {
            Nd4j.getRandom().setSeed(3);
            INDArray batch = Nd4j.rand(DataType.FLOAT, 6, 3, 17, 19);
            INDArray in = batch.get(NDArrayIndex.interval(2, 5)); // a view with an offset: 3 samples
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, 3, 3, 17, 19);
            DiffeoSpec spec = new DiffeoSpec(5, 2e-3, Interpolation.BILINEAR);
            b.deformInto(Nd4jArrays.images("in", in), spec, 11, 40, Nd4jArrays.images("out", out));
            ImageBatch heap = new ImageBatch(3, 3, 17, 19, in.dup().data().asFloat());
            assertArrayEquals(b.deform(heap, spec, 11, 40).data(), out.data().asFloat());

            FieldBatch f = b.synthesize(CoefficientBatch.draw(5, 11, 40, 3), 2e-3, 17, 19);
            INDArray dx = Nd4j.create(f.dx(), new long[]{3, 17, 19}), dy = Nd4j.create(f.dy(), new long[]{3, 17, 19});
            INDArray out2 = Nd4j.createUninitialized(DataType.FLOAT, 3, 3, 17, 19);
            b.remapInto(Nd4jArrays.images("in", in), Nd4jArrays.fields(dx, dy), Interpolation.GAUSSIAN, Nd4jArrays.images("out", out2));
            assertArrayEquals(b.remap(heap, f, Interpolation.GAUSSIAN).data(), out2.data().asFloat());
        }
    }

    @Test
    void refusesWhatItWouldHaveToCopy() {
        try (NativeBackend b = NativeLibrary.open(1, 0)) {
            DiffeoSpec spec = new DiffeoSpec(3, 1e-3, Interpolation.BILINEAR);
            INDArray doubles = Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.deformInto(Nd4jArrays.images("in", doubles), spec, 1, 0, Nd4jArrays.images("out", doubles.dup())));
            assertTrue(e.getMessage().startsWith("in must be a FLOAT array, found DOUBLE"), e.getMessage());
            INDArray fortran = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8).dup('f');
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.deformInto(Nd4jArrays.images("in", fortran), spec, 1, 0, Nd4jArrays.images("out", Nd4j.createUninitialized(DataType.FLOAT, 2, 1, 8, 8))));
            assertTrue(e.getMessage().contains("C-ordered contiguous"), e.getMessage());
            INDArray ok = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.deformInto(Nd4jArrays.images("in", ok), spec, 1, 0, Nd4jArrays.images("out", Nd4j.createUninitialized(DataType.FLOAT, 2, 1, 8, 9))));
            assertTrue(e.getMessage().startsWith("out must have shape [2, 1, 8, 8], found [2, 1, 8, 9]"), e.getMessage());
        }
    }
}
