package org.diffeo4j.augment;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Memory;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deformations drawn for a run of images ({@link DiffeoAugment#prepare}): per image the scaled
 * coefficients {@code sqrt(T) z} at the batch's largest cut (modes outside the image's own cut-off
 * zeroed) and its replay record. Images, label masks and keypoints are all moved by the same fields.
 *
 * <p>Per-image (c, T) costs a few batched calls: T is folded into the coefficients, so the batch is
 * one {@code synthesizeInto} at T = 1 per distinct cut (or one at the largest cut, every cut fitting
 * in it) and one {@code remapInto}, on any backend (docs/augment.md compares this with one call per
 * image).
 *
 * <p>Holds the synthesised fields of the last backend used; {@link #close} frees them.
 */
public final class AugmentBatch implements AutoCloseable {
    /**
     * Counts of one batch.
     *
     * @param images images in the batch
     * @param fieldsDrawn fields drawn (images + redraws)
     * @param fieldsRejected fields refused for a non-positive Jacobian determinant
     * @param temperatureLowered images whose every attempt folded, so T was halved
     */
    public record Stats(long images, long fieldsDrawn, long fieldsRejected, long temperatureLowered) {
        /** Fraction of drawn fields rejected. */
        public double rejectionRate() {
            return fieldsDrawn == 0 ? 0 : fieldsRejected / (double) fieldsDrawn;
        }

        /** The sum of two counts. */
        public Stats plus(Stats o) {
            return new Stats(images + o.images, fieldsDrawn + o.fieldsDrawn, fieldsRejected + o.fieldsRejected,
                    temperatureLowered + o.temperatureLowered);
        }
    }

    private final AugmentSpec spec;
    private final CoefficientBatch scaled;
    private final Applied[] applied;
    private final Stats stats;
    private final int height, width;
    private DiffeoBackend fieldsBackend;
    private FieldBatch fields;

    AugmentBatch(AugmentSpec spec, CoefficientBatch scaled, Applied[] applied, Stats stats, int height, int width) {
        this.spec = spec;
        this.scaled = scaled;
        this.applied = applied;
        this.stats = stats;
        this.height = height;
        this.width = width;
    }

    /** Number of images. */
    public int count() {
        return applied.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The replay record of every image, in order. */
    public List<Applied> applied() {
        return List.of(applied);
    }

    public Stats stats() {
        return stats;
    }

    /** The coefficients {@code sqrt(T) z} of every image (synthesis at T = 1 gives its field). */
    public CoefficientBatch coefficients() {
        return scaled;
    }

    /**
     * The (dx, dy) field pair of every image in {@code backend}'s memory, synthesised once per backend.
     * A backend that computes on the heap synthesises each cut-off's images at their own cut (cost
     * proportional to c, not to the batch's largest cut) and the pairs are gathered; others (a GPU) get
     * one call at the largest cut, where the zero modes cost less than a launch per cut.
     */
    public FieldBatch fields(DiffeoBackend backend) {
        if (fields == null || fieldsBackend != backend) {
            close();
            fields = backend.allocateFields(count(), height, width);
            fieldsBackend = backend;
            Map<Integer, List<Integer>> byCut = new TreeMap<>();
            for (int s = 0; s < applied.length; s++) {
                byCut.computeIfAbsent(applied[s].cut(), k -> new ArrayList<>()).add(s);
            }
            if (fields.memory() != Memory.HEAP || byCut.size() == 1) {
                backend.synthesizeInto(scaled, 1.0, fields);
            } else {
                byCut.forEach((cut, members) -> synthesizeGroup(backend, cut, members));
            }
        }
        return fields;
    }

    private void synthesizeGroup(DiffeoBackend backend, int cut, List<Integer> members) {
        int big = scaled.cut(), n = members.size(), plane = height * width;
        float[] zu = new float[n * cut * cut], zv = new float[n * cut * cut];
        for (int k = 0; k < n; k++) {
            int from = members.get(k) * big * big;
            for (int i = 0; i < cut; i++) {
                System.arraycopy(scaled.zu(), from + i * big, zu, (k * cut + i) * cut, cut);
                System.arraycopy(scaled.zv(), from + i * big, zv, (k * cut + i) * cut, cut);
            }
        }
        FieldBatch part = FieldBatch.zeros(n, height, width);
        backend.synthesizeInto(new CoefficientBatch(cut, n, zu, zv), 1.0, part);
        for (int k = 0; k < n; k++) {
            System.arraycopy(part.dx(), k * plane, fields.dx(), members.get(k) * plane, plane);
            System.arraycopy(part.dy(), k * plane, fields.dy(), members.get(k) * plane, plane);
        }
    }

    /**
     * Deforms image s of {@code images} with field s into {@code out}, with the spec's interpolation.
     *
     * @param images count() images of this batch's height and width; not modified
     * @param out same shape, not {@code images}; overwritten
     */
    public void imagesInto(DiffeoBackend backend, ImageBatch images, ImageBatch out) {
        requireShape(images, "images");
        backend.remapInto(images, fields(backend), spec.interpolation(), out);
    }

    /**
     * Moves label masks with the same fields, nearest-neighbour: a label is never blended with another.
     *
     * @param labels count() masks (any channels) holding class labels as floats; not modified
     * @param out same shape; overwritten
     */
    public void masksInto(DiffeoBackend backend, ImageBatch labels, ImageBatch out) {
        requireShape(labels, "labels");
        backend.remapInto(labels, fields(backend), Interpolation.NEAREST, out);
    }

    /**
     * Moves a one-channel label mask as one channel per class: {@code soft = false} gives the one-hot
     * of the nearest-moved labels (exactly, every pixel one 1); {@code soft = true} moves each class
     * channel bilinearly (values in [0, 1] summing to 1 per pixel, for soft-label losses).
     *
     * @param labels count() x 1 channel of labels 0 .. classes-1; not modified
     * @return count() x classes x height x width, heap
     */
    public ImageBatch oneHot(DiffeoBackend backend, ImageBatch labels, int classes, boolean soft) {
        requireShape(labels, "labels");
        ImageBatch hot = Masks.oneHot(labels.toHeap(), classes);
        ImageBatch out = hot.like();
        backend.remapInto(hot, fields(backend), soft ? Interpolation.BILINEAR : Interpolation.NEAREST, out);
        return out;
    }

    /**
     * Where image s's deformation moves the point (x, y) of the original image (pixels, x along the
     * width): the inverse of {@code q -> q - tau(q)}, see {@link Keypoints}.
     */
    public Keypoints.Moved keypoint(int s, double x, double y) {
        if (s < 0 || s >= count()) {
            throw new IllegalArgumentException("sample must be in [0, " + (count() - 1) + "], found " + s);
        }
        return Keypoints.move(scaled, s, height, width, x, y);
    }

    private void requireShape(ImageBatch b, String what) {
        if (b.count() != count() || b.height() != height || b.width() != width) {
            throw new IllegalArgumentException(what + " must be " + count() + " images of " + height + "x" + width
                    + ", found " + b.shapeString());
        }
    }

    @Override
    public void close() {
        if (fields != null) {
            fields.close();
            fields = null;
            fieldsBackend = null;
        }
    }
}
