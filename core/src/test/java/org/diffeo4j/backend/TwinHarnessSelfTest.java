package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness fails on a backend with a missing or a wrong operation (it is not a test that cannot fail). */
class TwinHarnessSelfTest {
    /** One shape where a deformation moves pixels (on a 1x1 image every seed gives the same output). */
    static final List<TwinHarness.Shape> ONE = List.of(new TwinHarness.Shape(5, 2, 17, 17, 5));

    /** The Java backend with one operation replaced. */
    static class Broken implements DiffeoBackend {
        final JavaBackend java = new JavaBackend(1);
        final String broken;

        Broken(String broken) {
            this.broken = broken;
        }

        @Override
        public String name() {
            return "broken-" + broken;
        }

        @Override
        public String device() {
            return "test";
        }

        @Override
        public Set<Memory> memories() {
            return java.memories();
        }

        @Override
        public ImageBatch allocateImages(int count, int channels, int height, int width) {
            return java.allocateImages(count, channels, height, width);
        }

        @Override
        public FieldBatch allocateFields(int count, int height, int width) {
            return java.allocateFields(count, height, width);
        }

        @Override
        public CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
            return java.draw(cut, seed, firstSample, count);
        }

        @Override
        public void synthesizeInto(CoefficientBatch coeffs, double temperature, FieldBatch out) {
            java.synthesizeInto(coeffs, temperature, out);
        }

        @Override
        public void remapInto(ImageBatch images, FieldBatch fields, Interpolation interp, ImageBatch out) {
            java.remapInto(images, fields, interp, out);
        }

        @Override
        public void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
            // "wrong": one sample address off
            java.deformInto(images, spec, seed, broken.equals("wrong") ? firstSample + 1 : firstSample, out);
        }

        @Override
        public void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out) {
            if (broken.equals("missing")) {
                throw new UnsupportedOperationException("addNoiseInto is not implemented on this backend");
            }
            java.addNoiseInto(clean, deformed, seed, firstSample, out);
        }

        @Override
        public void squaredDistances(ImageBatch a, ImageBatch b, double[] out) {
            java.squaredDistances(a, b, out);
        }

        @Override
        public void close() {
            java.close();
        }
    }

    @Test
    void aMissingOperationFails() {
        try (Broken b = new Broken("missing")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> TwinHarness.run(List.of(b), ONE));
            assertTrue(e.getMessage().contains("addNoiseInto"), e.getMessage());
        }
    }

    @Test
    void aWrongOperationFails() {
        try (Broken b = new Broken("wrong")) {
            AssertionError e = assertThrows(AssertionError.class, () -> TwinHarness.run(List.of(b), ONE));
            assertTrue(e.getMessage().contains("broken-wrong.deformInto"), e.getMessage());
        }
    }

    @Test
    void theSameBackendWrappedPasses() {
        try (Broken b = new Broken("none")) {
            assertTrue(TwinHarness.run(List.of(b), ONE) == TwinHarness.operations().size());
        }
    }
}
