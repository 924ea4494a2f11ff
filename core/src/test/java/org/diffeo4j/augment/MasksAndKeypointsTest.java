package org.diffeo4j.augment;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Jacobian;
import org.diffeo4j.field.Temperatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks and keypoints move with the images' own fields. */
class MasksAndKeypointsTest {
    @Test
    void oneHotMaskIsTheOneHotOfTheNearestMovedLabels() {
        // real label masks: each MNIST digit's ink (> 0.5) labelled with its class + 1, background 0
        ImageBatch digits = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 32).toHeap();
        int[] classes = Idx.readLabels(SharedFiles.root().resolve("data/mnist/t10k-labels-idx1-ubyte.gz"));
        float[] lab = new float[32 * 784];
        for (int k = 0; k < lab.length; k++) {
            lab[k] = digits.data()[k] > 0.5f ? classes[k / 784] + 1 : 0;
        }
        ImageBatch labels = new ImageBatch(32, 1, 28, 28, lab);
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:r_T=4"), 3);
        try (JavaBackend java = new JavaBackend(2); AugmentBatch batch = aug.prepare(0, 0, 32, 28, 28)) {
            ImageBatch moved = labels.like();
            batch.masksInto(java, labels, moved);
            ImageBatch hot = batch.oneHot(java, labels, 11, false);
            assertArrayEquals(Masks.oneHot(moved, 11).data(), hot.data());
            int changed = 0;
            for (int k = 0; k < lab.length; k++) {
                changed += moved.data()[k] != lab[k] ? 1 : 0;
            }
            assertTrue(changed > 100, "the masks moved: " + changed + " pixels changed");
            ImageBatch soft = batch.oneHot(java, labels, 11, true);
            for (int s = 0; s < 32; s++) {
                for (int p = 0; p < 784; p++) {
                    double sum = 0;
                    for (int k = 0; k < 11; k++) {
                        sum += soft.data()[(s * 11 + k) * 784 + p];
                    }
                    assertEquals(1.0, sum, 1e-5, "soft one-hot sums to 1 at sample " + s + " pixel " + p);
                }
            }
        }
    }

    /**
     * Keypoint p moved to q: sampling the deformed image at q returns in(p). The image is smooth,
     * f = sin(2 pi x / L) cos(2 pi y / L) + 0.5, so bilinear accuracy is known: each of the two
     * interpolations (the remap at grid points, the sampling at q) errs by at most
     * (1/8)(|f_xx| + |f_yy|) <= (1/8) 2 (2 pi / L)^2 (1 + |grad tau|)^2 for a unit pixel; the bound is
     * that sum with |grad tau| <= 1. Sampling at p instead of q must fail it (the test can fail).
     */
    @ParameterizedTest(name = "n={0}")
    @CsvSource({"28, 7", "224, 28"})
    void keypointForwardThenSampleReturnsTheOriginalPixel(int n, double period) {
        float[] img = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                img[y * n + x] = (float) (Math.sin(2 * Math.PI * x / period) * Math.cos(2 * Math.PI * y / period) + 0.5);
            }
        }
        double k = 2 * Math.PI / period, bound = 2 * (2 * k * k / 8) * 4;
        ImageBatch in = new ImageBatch(8, 1, n, n, tile(img, 8));
        DiffeoAugment aug = new DiffeoAugment(AugmentSpec.parse("diffeo:c_max=" + Math.min(8, AugmentSpec.naturalCutLimit(n))
                + ",r_T=3,diffeomorphic=true"), 11);
        try (JavaBackend java = new JavaBackend(2); AugmentBatch batch = aug.prepare(1, 0, 8, n, n)) {
            ImageBatch out = in.like();
            batch.imagesInto(java, in, out);
            double worst = 0, unmoved = 0;
            for (int s = 0; s < 8; s++) {
                for (int py = 2; py < n - 2; py += Math.max(1, n / 28)) {
                    for (int px = 2; px < n - 2; px += Math.max(1, n / 28)) {
                        Keypoints.Moved q = batch.keypoint(s, px, py);
                        assertTrue(q.converged() && q.inside(), "sample " + s + " (" + px + ", " + py + "): " + q);
                        double got = bilinear(out.data(), s * n * n, n, q.x(), q.y());
                        worst = Math.max(worst, Math.abs(got - img[py * n + px]));
                        unmoved = Math.max(unmoved, Math.abs(bilinear(out.data(), s * n * n, n, px, py) - img[py * n + px]));
                    }
                }
            }
            assertTrue(worst <= bound, "max |out(q) - in(p)| = " + worst + " > bilinear bound " + bound);
            assertTrue(unmoved > bound, "sampling at p itself should miss: " + unmoved);
        }
    }

    /** Inverse residual <= 0.01 px for typical displacements delta <= 2 px, on 28 and 224 px, diffeos only. */
    @ParameterizedTest(name = "n={0} c={1} delta={2}")
    @CsvSource({"28, 3, 1", "28, 4, 2", "224, 5, 2", "224, 15, 2", "224, 30, 1"})
    void inverseResidualIsBelowOneHundredthOfAPixel(int n, int cut, double delta) {
        double t = Temperatures.temperature(delta, cut, n);
        int checked = 0;
        for (long s = 0; s < 30; s++) {
            CoefficientBatch z = CoefficientBatch.draw(cut, 5, s, 1);
            CoefficientBatch scaled = scale(z, t);
            if (!Jacobian.check(scaled, 0, 1.0, n, n).isDiffeomorphism()) {
                continue;
            }
            checked++;
            int step = Math.max(1, n / 40);
            for (int y = 0; y < n; y += step) {
                for (int x = 0; x < n; x += step) {
                    Keypoints.Moved q = Keypoints.move(scaled, 0, n, n, x + 0.25, y + 0.5);
                    assertTrue(q.converged() && q.residual() <= 0.01, "field " + s + " at (" + x + ", " + y + "): " + q);
                    double[] f = new double[6];
                    Keypoints.field(scaled, 0, n, n, q.x(), q.y(), f);
                    assertEquals(x + 0.25, q.x() - f[0], 0.01);
                    assertEquals(y + 0.5, q.y() - f[1], 0.01);
                }
            }
        }
        assertTrue(checked >= 6, "too few diffeomorphisms drawn: " + checked);
    }

    /** The analytic field the keypoints use equals the synthesised one at grid points. */
    @Test
    void analyticFieldMatchesSynthesis() {
        CoefficientBatch z = scale(CoefficientBatch.draw(9, 1, 0, 1), Temperatures.temperature(1.5, 9, 40));
        FieldBatch f = new JavaBackend(1).synthesize(z, 1.0, 30, 40);
        double[] v = new double[6];
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                Keypoints.field(z, 0, 30, 40, x, y, v);
                assertEquals(f.dx()[y * 40 + x], v[0], 1e-4, "dx at " + x + "," + y);
                assertEquals(f.dy()[y * 40 + x], v[1], 1e-4, "dy at " + x + "," + y);
            }
        }
    }

    static CoefficientBatch scale(CoefficientBatch z, double t) {
        float[] u = z.zu().clone(), w = z.zv().clone();
        for (int k = 0; k < u.length; k++) {
            u[k] *= (float) Math.sqrt(t);
            w[k] *= (float) Math.sqrt(t);
        }
        return new CoefficientBatch(z.cut(), z.count(), u, w);
    }

    private static float[] tile(float[] one, int count) {
        float[] all = new float[one.length * count];
        for (int s = 0; s < count; s++) {
            System.arraycopy(one, 0, all, s * one.length, one.length);
        }
        return all;
    }

    private static double bilinear(float[] a, int off, int n, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        int x1 = Math.min(x0 + 1, n - 1), y1 = Math.min(y0 + 1, n - 1);
        double fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * a[off + y0 * n + x0] + fx * a[off + y0 * n + x1])
                + fy * ((1 - fx) * a[off + y1 * n + x0] + fx * a[off + y1 * n + x1]);
    }

}
