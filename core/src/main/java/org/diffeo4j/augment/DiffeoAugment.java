package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Jacobian;
import org.diffeo4j.field.Temperatures;

import java.util.stream.IntStream;

/**
 * The authors' diffeo transform, one (c, T, field) per image, reproducible per (seed, epoch, image).
 *
 * <p>For image i of epoch e: {@code B_c} and {@code B_T} are Beta draws at address
 * {@code AugmentAddress.of(e, i, 0)} on streams 3 and 4; c and T follow {@link AugmentSpec}; the field
 * coefficients are those of {@code deformInto} at the same address (streams 0, 1), so the image is
 * deformed exactly as {@code backend.deform(image, (c, T), seed, address)} would.
 *
 * <p><b>Guaranteed diffeomorphisms</b> ({@link AugmentSpec#diffeomorphic}): a field whose
 * det(I - grad tau) is not positive at every pixel ({@link Jacobian}) is redrawn at the next attempt
 * address {@code of(e, i, k)}, k = 1 .. attempts - 1, with the same (c, T); if all attempts fold, the
 * first field is kept and T halved until it does not (T = 0 is the identity, so this ends). The rule
 * depends only on (seed, e, i): the result is reproducible and independent of batching. Redrawing
 * the field but not (c, T) keeps the authors' (c, T) distribution; the fields are conditioned on
 * being diffeomorphisms. The fraction of fields rejected is reported by {@link AugmentBatch#stats}.
 *
 * <p>Thread-safe and stateless apart from its parameters; {@code prepare} draws the images of a batch
 * in parallel on the common fork-join pool.
 */
public final class DiffeoAugment {
    private final AugmentSpec spec;
    private final long seed;
    private final DiffeoBackend draws;

    /**
     * @param spec what to draw
     * @param seed key of every draw
     */
    public DiffeoAugment(AugmentSpec spec, long seed) {
        this(spec, seed, null);
    }

    private DiffeoAugment(AugmentSpec spec, long seed, DiffeoBackend draws) {
        if (spec == null) {
            throw new IllegalArgumentException("augment spec must be given, found null");
        }
        this.spec = spec;
        this.seed = seed;
        this.draws = draws;
    }

    /**
     * The same augmentation with the field coefficients drawn by {@code backend.draw} (the numbers
     * that backend's {@code deformInto} reads at the same address) instead of core's Java draws: 3x
     * faster on the native backend, whose AVX2 draws agree with Java's within the twin tolerance, not
     * to the bit (docs/precision.md). A backend computing off the heap (a GPU) is not used for this.
     * Its draw must be thread-safe; it is not closed here.
     */
    public DiffeoAugment drawingOn(DiffeoBackend backend) {
        return new DiffeoAugment(spec, seed, backend != null && backend.memories().contains(Memory.HEAP)
                && !backend.memories().contains(Memory.DEVICE) ? backend : null);
    }

    /** The c x c coefficients of one field at {@code address}. */
    private CoefficientBatch coefficients(int cut, long address) {
        return draws == null ? CoefficientBatch.draw(cut, seed, address, 1) : draws.draw(cut, seed, address, 1);
    }

    public AugmentSpec spec() {
        return spec;
    }

    public long seed() {
        return seed;
    }

    /** The cut-off of image {@code image} in epoch {@code epoch} for images of width {@code width}. */
    public int cut(int epoch, long image, int width) {
        int cMin = spec.cutMin(), cMax = spec.cutMaxFor(width);
        double b = BetaSampler.beta(spec.alphaCut(), spec.betaCut(), seed, AugmentAddress.of(epoch, image, 0),
                AugmentAddress.STREAM_CUT);
        // transform.py: int(B (c_max + 1 - c_min) + c_min); B rounds to 1.0 with probability ~2^-53,
        // where the authors' formula would give c_max + 1: clamped
        return Math.min(cMax, (int) Math.floor(b * (cMax + 1 - cMin) + cMin));
    }

    /** The drawn temperature of that image given its cut-off. */
    public double temperature(int epoch, long image, int cut, int width) {
        double b = BetaSampler.beta(spec.alphaT(), spec.betaT(), seed, AugmentAddress.of(epoch, image, 0),
                AugmentAddress.STREAM_TEMPERATURE);
        double lo = Temperatures.tMin(cut, width), hi = spec.tMaxScale() * Temperatures.tMax(cut);
        return b * (hi - lo) + lo;
    }

    /**
     * Draws (c, T, field) for images {@code firstImage .. firstImage + count - 1} of {@code epoch} on a
     * height x width grid. The returned batch holds the scaled coefficients; apply them with its
     * {@code imagesInto}, {@code masksInto}, {@code keypoint}.
     */
    public AugmentBatch prepare(int epoch, long firstImage, int count, int height, int width) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, found " + count);
        }
        AugmentAddress.requireImage(firstImage);
        AugmentAddress.requireImage(firstImage + count - 1);
        long[] images = new long[count];
        for (int s = 0; s < count; s++) {
            images[s] = firstImage + s;
        }
        return prepare(epoch, images, height, width);
    }

    /**
     * Draws (c, T, field) for the images of {@code epoch} with the given indices, in that order (a
     * shuffled training batch: image i gets the same deformation in epoch e whatever its position).
     *
     * @param images indices in [0, 2^32); not modified
     */
    public AugmentBatch prepare(int epoch, long[] images, int height, int width) {
        return prepare(epoch, images, height, width, true);
    }

    /**
     * As {@link #prepare(int, long[], int, int)}; {@code parallel = false} draws on the calling thread
     * only (beside other work, e.g. training on the other cores), with the same result.
     */
    public AugmentBatch prepare(int epoch, long[] images, int height, int width, boolean parallel) {
        AugmentAddress.requireEpoch(epoch);
        int count = images.length;
        if (count < 1) {
            throw new IllegalArgumentException("images must hold >= 1 index, found 0");
        }
        for (long i : images) {
            AugmentAddress.requireImage(i);
        }
        if (height < 2 || width < 2) {
            throw new BadInputException("image height and width must be >= 2, found " + height + "x" + width);
        }
        int[] cuts = new int[count];
        double[] drawn = new double[count];
        int top = spec.cutMin();
        for (int s = 0; s < count; s++) {
            cuts[s] = cut(epoch, images[s], width);
            drawn[s] = temperature(epoch, images[s], cuts[s], width);
            top = Math.max(top, cuts[s]);
        }
        CoefficientBatch scaled = new CoefficientBatch(top, count, new float[count * top * top], new float[count * top * top]);
        Applied[] applied = new Applied[count];
        int[] fields = new int[count], rejected = new int[count];
        // Images are independent (each reads only its own addresses and writes only its own
        // coefficients), so they are drawn in parallel on the common pool — a stateless object
        // owns no threads — with the same result as serially.
        IntStream range = IntStream.range(0, count);
        (parallel && count >= 32 ? range.parallel() : range).forEach(s ->
                applied[s] = drawOne(epoch, images[s], cuts[s], drawn[s], height, width, scaled, s, fields, rejected));
        long drawnFields = 0, rejectedFields = 0, lowered = 0;
        for (int s = 0; s < count; s++) {
            drawnFields += fields[s];
            rejectedFields += rejected[s];
            lowered += applied[s].halvings() > 0 ? 1 : 0;
        }
        return new AugmentBatch(spec, scaled, applied, new AugmentBatch.Stats(count, drawnFields, rejectedFields, lowered), height, width);
    }

    /** Image s's field (the guarantee's rule in the class comment); counts go to fields[s], rejected[s]. */
    private Applied drawOne(int epoch, long image, int cut, double drawnT, int height, int width, CoefficientBatch scaled, int s,
                            int[] fields, int[] rejected) {
        int attempt = 0, halvings = 0;
        double t = drawnT;
        // each image's coefficients at its own cut (cost c^2, not top^2): mode addresses do not
        // depend on the cut (docs/randomness.md), so these are deformInto's at (c, address)
        CoefficientBatch raw = coefficients(cut, AugmentAddress.of(epoch, image, 0));
        place(raw, t, scaled, s);
        fields[s] = 1;
        if (spec.diffeomorphic()) {
            boolean ok = diffeo(scaled, s, height, width);
            while (!ok && attempt + 1 < spec.attempts()) {
                rejected[s]++;
                attempt++;
                fields[s]++;
                place(coefficients(cut, AugmentAddress.of(epoch, image, attempt)), t, scaled, s);
                ok = diffeo(scaled, s, height, width);
            }
            if (!ok) {
                rejected[s]++;
                attempt = 0;
                do {
                    halvings++;
                    t = drawnT / Math.pow(2, halvings);
                    place(raw, t, scaled, s);
                } while (!diffeo(scaled, s, height, width));
            }
        }
        return new Applied(epoch, image, cut, t, drawnT, seed, AugmentAddress.of(epoch, image, attempt), attempt + 1, halvings);
    }

    private static boolean diffeo(CoefficientBatch scaled, int s, int height, int width) {
        return Jacobian.check(scaled, s, 1.0, height, width).isDiffeomorphism();
    }

    /**
     * Writes the one sample of {@code raw} (its own cut) into sample {@code to} of {@code out} (a cut
     * at least as large; its other modes stay 0), multiplied by sqrt(T): the field is linear in
     * sqrt(T) z (Eq. 2), so synthesis at T = 1 of the scaled coefficients is the field at T.
     */
    private static void place(CoefficientBatch raw, double temperature, CoefficientBatch out, int to) {
        int c = raw.cut(), big = out.cut(), off = to * big * big;
        double root = Math.sqrt(temperature);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                out.zu()[off + i * big + j] = (float) (root * raw.zu()[i * c + j]);
                out.zv()[off + i * big + j] = (float) (root * raw.zv()[i * c + j]);
            }
        }
    }
}
