package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.SineBasis;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.interp.Remap;
import org.diffeo4j.random.Normals;

/**
 * The pure-Java reference backend: per-sample synthesis and remap from {@code field} and
 * {@code interp}, split over samples across a fixed thread pool. {@link #deform} fuses draw,
 * synthesis and remap per sample so a sample's fields stay in cache and are never stored.
 */
public final class JavaBackend implements DiffeoBackend {
    public static final String NAME = "java";
    private final Parallel parallel;

    /** @param threads worker threads, >= 1 */
    public JavaBackend(int threads) {
        this.parallel = new Parallel(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String device() {
        return "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + parallel.threads() + " thread(s)";
    }

    @Override
    public FieldBatch synthesize(CoefficientBatch coeffs, double temperature, int height, int width) {
        FieldBatch f = FieldBatch.zeros(coeffs.count(), height, width);
        parallel.forRange(coeffs.count(), 16, (from, to) -> FieldSynthesis.synthesizeRange(coeffs, temperature, f, from, to));
        return f;
    }

    @Override
    public ImageBatch remap(ImageBatch images, FieldBatch fields, Interpolation interp) {
        DiffeoBackend.requireMatching(images, fields);
        ImageBatch out = images.like();
        int size = images.sampleSize(), plane = fields.plane();
        parallel.forRange(images.count(), 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                Remap.sample(interp, images.data(), s * size, images.channels(), images.height(), images.width(),
                        fields.dx(), fields.dy(), s * plane, out.data(), s * size);
            }
        });
        return out;
    }

    @Override
    public void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
        DiffeoBackend.requireOutput(images, out);
        int c = spec.cut(), h = images.height(), w = images.width(), size = images.sampleSize();
        SineBasis bx = SineBasis.sine(w, c), by = SineBasis.sine(h, c);
        double root = Math.sqrt(spec.temperature());
        parallel.forRange(images.count(), 16, (from, to) -> {
            float[] zu = new float[c * c], zv = new float[c * c];
            FieldSynthesis.Scratch scratchF = new FieldSynthesis.Scratch(c, h, w);
            float[] dx = new float[h * w], dy = new float[h * w];
            double[] scratch = new double[c * c]; // the normals of one draw
            Remap.BilinearScratch bilinear = new Remap.BilinearScratch(h * w);
            for (int s = from; s < to; s++) {
                CoefficientBatch.drawOne(c, seed, firstSample + s, Normals.STREAM_U, scratch, zu, 0);
                CoefficientBatch.drawOne(c, seed, firstSample + s, Normals.STREAM_V, scratch, zv, 0);
                FieldSynthesis.synthesizePair(c, zu, zv, 0, w * root, h * root, bx, by, scratchF, dx, dy, 0);
                switch (spec.interpolation()) {
                    case BILINEAR -> Remap.bilinear(images.data(), s * size, images.channels(), h, w, dx, dy, 0, out.data(), s * size, bilinear);
                    case GAUSSIAN -> Remap.gaussian(images.data(), s * size, images.channels(), h, w, dx, dy, 0, out.data(), s * size);
                    case NEAREST -> Remap.nearest(images.data(), s * size, images.channels(), h, w, dx, dy, 0, out.data(), s * size);
                }
            }
        });
    }

    @Override
    public void close() {
        parallel.close();
    }

    /** ServiceLoader entry for the Java backend (always available). */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int priority() {
            return 10;
        }

        @Override
        public Availability availability() {
            return Availability.yes();
        }

        @Override
        public DiffeoBackend open(int threads) {
            return new JavaBackend(threads);
        }
    }
}
