package org.diffeo4j.backend;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.SineBasis;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.interp.Remap;
import org.diffeo4j.random.Normals;
import org.diffeo4j.stability.Noise;

import java.util.Set;

/**
 * The pure-Java reference backend: per-sample synthesis, remap and noise, split over samples across
 * a fixed thread pool. {@link #deformInto} fuses draw, synthesis and remap per sample so a sample's
 * fields stay in cache and are never stored. Computes on the heap: direct and device batches are
 * copied in before and out after each call ({@link HeapStaging}).
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
    public Set<Memory> memories() {
        return Set.of(Memory.HEAP);
    }

    @Override
    public ImageBatch allocateImages(int count, int channels, int height, int width) {
        return ImageBatch.zeros(count, channels, height, width);
    }

    @Override
    public FieldBatch allocateFields(int count, int height, int width) {
        return FieldBatch.zeros(count, height, width);
    }

    @Override
    public CoefficientBatch draw(int cut, long seed, long firstSample, int count) {
        BatchChecks.count(count);
        return CoefficientBatch.draw(cut, seed, firstSample, count);
    }

    @Override
    public void synthesizeInto(CoefficientBatch coeffs, double temperature, FieldBatch out) {
        BatchChecks.fields(coeffs, out);
        FieldBatch f = out.memory() == Memory.HEAP ? out : FieldBatch.zeros(out.count(), out.height(), out.width());
        parallel.forRange(coeffs.count(), 16, (from, to) -> FieldSynthesis.synthesizeRange(coeffs, temperature, f, from, to));
        if (f != out) {
            out.dxFloats().write(f.dx(), 0, 0, f.dx().length);
            out.dyFloats().write(f.dy(), 0, 0, f.dy().length);
        }
    }

    @Override
    public void remapInto(ImageBatch images, FieldBatch fields, Interpolation interp, ImageBatch out) {
        BatchChecks.fields(images, fields);
        BatchChecks.output(images, out);
        float[] in = HeapStaging.in(images), dx = HeapStaging.in(fields.dxFloats()), dy = HeapStaging.in(fields.dyFloats());
        HeapStaging.Output o = HeapStaging.out(out);
        int size = images.sampleSize(), plane = fields.plane();
        parallel.forRange(images.count(), 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                Remap.sample(interp, in, s * size, images.channels(), images.height(), images.width(), dx, dy, s * plane,
                        o.array(), s * size);
            }
        });
        o.commit();
    }

    @Override
    public void deformInto(ImageBatch images, DiffeoSpec spec, long seed, long firstSample, ImageBatch out) {
        BatchChecks.output(images, out);
        float[] in = HeapStaging.in(images);
        HeapStaging.Output o = HeapStaging.out(out);
        int c = spec.cut(), h = images.height(), w = images.width(), size = images.sampleSize();
        SineBasis bx = SineBasis.sine(w, c), by = SineBasis.sine(h, c);
        double root = Math.sqrt(spec.temperature());
        parallel.forRange(images.count(), 16, (from, to) -> {
            float[] zu = new float[c * c], zv = new float[c * c];
            FieldSynthesis.Scratch scratchF = new FieldSynthesis.Scratch(c, h, w);
            float[] dx = new float[h * w], dy = new float[h * w];
            double[] scratch = new double[c * c]; // the normals of one draw
            Remap.BilinearScratch bilinear = new Remap.BilinearScratch(h * w);
            float[] dst = o.array();
            for (int s = from; s < to; s++) {
                CoefficientBatch.drawOne(c, seed, firstSample + s, Normals.STREAM_U, scratch, zu, 0);
                CoefficientBatch.drawOne(c, seed, firstSample + s, Normals.STREAM_V, scratch, zv, 0);
                FieldSynthesis.synthesizePair(c, zu, zv, 0, w * root, h * root, bx, by, scratchF, dx, dy, 0);
                switch (spec.interpolation()) {
                    case BILINEAR -> Remap.bilinear(in, s * size, images.channels(), h, w, dx, dy, 0, dst, s * size, bilinear);
                    case GAUSSIAN -> Remap.gaussian(in, s * size, images.channels(), h, w, dx, dy, 0, dst, s * size);
                    case NEAREST -> Remap.nearest(in, s * size, images.channels(), h, w, dx, dy, 0, dst, s * size);
                }
            }
        });
        o.commit();
    }

    @Override
    public void addNoiseInto(ImageBatch clean, ImageBatch deformed, long seed, long firstSample, ImageBatch out) {
        BatchChecks.sameShape(clean, deformed, "deformed");
        BatchChecks.sameShape(clean, out, "out");
        float[] x = HeapStaging.in(clean), y = HeapStaging.in(deformed);
        HeapStaging.Output o = HeapStaging.out(out);
        int size = clean.sampleSize();
        parallel.forRange(clean.count(), 8, (from, to) -> {
            double[] g = new double[size];
            for (int s = from; s < to; s++) {
                Noise.sample(x, y, o.array(), s * size, size, seed, firstSample + s, g);
            }
        });
        o.commit();
    }

    @Override
    public void squaredDistances(ImageBatch a, ImageBatch b, double[] out) {
        BatchChecks.sameShape(a, b, "b");
        BatchChecks.perSample(a, out);
        float[] x = HeapStaging.in(a), y = HeapStaging.in(b);
        int size = a.sampleSize();
        parallel.forRange(a.count(), 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                out[s] = Noise.squaredDistance(x, y, s * size, size);
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
