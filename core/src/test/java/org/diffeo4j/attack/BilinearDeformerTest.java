package org.diffeo4j.attack;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.TestImages;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.random.Normals;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deformation by given coefficients is the Java backend's, and its derivative (the bilinear remap's
 * with respect to the field, then the field's with respect to the coefficients) equals central finite
 * differences of the same function computed in double precision.
 */
class BilinearDeformerTest {
    static ImageBatch digits(int n) {
        return Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, n);
    }

    @Test
    void deformsAsTheJavaBackendDoes() {
        ImageBatch x = digits(6);
        int cut = 5;
        double t = Temperatures.temperature(1.5, cut, 28);
        ModeVectors modes = new ModeVectors(cut);
        CoefficientBatch z = CoefficientBatch.draw(cut, 11, 40, 6);
        float[] mine = new float[x.data().length];
        BilinearDeformer d = new BilinearDeformer(modes, 1, 28, 28);
        for (int s = 0; s < 6; s++) {
            d.deform(x.data(), s * 784, z.zu(), z.zv(), s * cut * cut, t, mine, s * 784);
        }
        try (JavaBackend b = new JavaBackend(2)) {
            ImageBatch ref = b.deform(x, new DiffeoSpec(cut, t, Interpolation.BILINEAR), 11, 40);
            assertArrayEquals(ref.data(), mine, "bit for bit");
        }
        // the vector form rounds to the same float grids
        double[] v = modes.fromGrid(z.zu(), z.zv(), 0);
        float[] again = new float[784];
        d.deform(x.data(), 0, v, t, again, 0);
        assertArrayEquals(java.util.Arrays.copyOf(mine, 784), again);
    }

    /** Double-precision reference: dx = W sqrt(T) sum w_ij z_ij sin sin, dy with H. */
    static double[][] field(ModeVectors modes, double[] z, double t, int h, int w) {
        int c = modes.cut(), m = modes.modes();
        double[] dx = new double[h * w], dy = new double[h * w];
        for (int k = 0; k < m; k++) {
            int g = modes.gridIndex(k), i = g / c + 1, j = g % c + 1;
            double wij = 1 / Math.sqrt(i * i + j * j);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = Math.sin(Math.PI * i * x / (w - 1)) * Math.sin(Math.PI * j * y / (h - 1));
                    dx[y * w + x] += w * Math.sqrt(t) * wij * z[k] * s;
                    dy[y * w + x] += h * Math.sqrt(t) * wij * z[m + k] * s;
                }
            }
        }
        return new double[][]{dx, dy};
    }

    /** The bilinear remap of Remap.bilinear, in double: floor/ceil neighbours of the clamped point. */
    static double[] remap(float[] in, int channels, int h, int w, double[] dx, double[] dy) {
        double[] out = new double[channels * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double sx = Math.min(Math.max(x - dx[p], 0), w - 1), sy = Math.min(Math.max(y - dy[p], 0), h - 1);
                int x0 = (int) sx, y0 = (int) sy, x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < channels; c++) {
                    int b = c * h * w;
                    double top = in[b + y0 * w + x0] + fx * (in[b + y0 * w + x1] - in[b + y0 * w + x0]);
                    double bottom = in[b + y1 * w + x0] + fx * (in[b + y1 * w + x1] - in[b + y1 * w + x0]);
                    out[b + p] = top + fy * (bottom - top);
                }
            }
        }
        return out;
    }

    static double dot(double[] a, float[] v) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * v[k];
        }
        return s;
    }

    static float[] upstream(int n, long seed) {
        double[] g = new double[n];
        Normals.fill(seed, 0, 0, 0, g, 0, n);
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) g[k];
        }
        return v;
    }

    /** d remap / d field at every pixel of a 3-channel image, against central differences (h = 1e-7 px); clamped pixels included. */
    @Test
    void remapDerivativeEqualsFiniteDifferences() {
        int h = 13, w = 17, ch = 3;
        ImageBatch img = TestImages.random(1, ch, h, w, 5);
        ModeVectors modes = new ModeVectors(4);
        double[] z = new double[modes.dimension()];
        Normals.fill(3, 0, 0, 0, z, 0, z.length);
        double[][] f = field(modes, z, 4e-3, h, w); // up to ~2 px: some points clamp at the border
        float[] v = upstream(ch * h * w, 8);
        double[] gx = new double[h * w], gy = new double[h * w];
        BilinearDeformer.fieldGradient(img.data(), 0, ch, h, w, f[0], f[1], v, 0, gx, gy);
        double step = 1e-7;
        int checked = 0;
        for (int p = 0; p < h * w; p++) {
            for (int axis = 0; axis < 2; axis++) {
                // the remap is piecewise linear: skip points within the difference's reach of a grid line or the clamp
                double u = (axis == 0 ? p % w : p / w) - f[axis][p];
                if (Math.abs(u - Math.rint(u)) < 10 * step) {
                    continue;
                }
                double[] plus = f[axis].clone(), minus = f[axis].clone();
                plus[p] += step;
                minus[p] -= step;
                double lp = dot(remap(img.data(), ch, h, w, axis == 0 ? plus : f[0], axis == 1 ? plus : f[1]), v);
                double lm = dot(remap(img.data(), ch, h, w, axis == 0 ? minus : f[0], axis == 1 ? minus : f[1]), v);
                double fd = (lp - lm) / (2 * step), an = axis == 0 ? gx[p] : gy[p];
                assertEquals(fd, an, 1e-6 + 1e-6 * Math.abs(fd), "pixel " + p + " axis " + axis);
                checked++;
            }
        }
        // the skipped points are the border's, whose field is 0 up to rounding: the clamp's kink
        assertTrue(checked >= 2 * (h - 2) * (w - 2), "checked " + checked + " of " + 2 * h * w);
    }

    /** d/dz of the whole deformation (double field, double remap) against central differences in z. */
    @Test
    void coefficientGradientEqualsFiniteDifferences() {
        int h = 28, w = 28;
        ImageBatch x = digits(3);
        for (int cut : new int[]{3, 6}) {
            ModeVectors modes = new ModeVectors(cut);
            double t = Temperatures.temperature(1.0, cut, 28);
            for (int s = 0; s < 3; s++) {
                double[] z = new double[modes.dimension()];
                Normals.fill(17, s, 0, 0, z, 0, z.length);
                float[] img = java.util.Arrays.copyOfRange(x.data(), s * 784, (s + 1) * 784);
                float[] v = upstream(784, 30 + s);
                double[][] f = field(modes, z, t, h, w);
                double[] gx = new double[h * w], gy = new double[h * w], dz = new double[modes.dimension()];
                BilinearDeformer.fieldGradient(img, 0, 1, h, w, f[0], f[1], v, 0, gx, gy);
                BilinearDeformer.modeGradient(modes, t, h, w, gx, gy, dz, new double[cut * h]);
                double step = 1e-7;
                for (int k = 0; k < z.length; k++) {
                    double[] zp = z.clone(), zm = z.clone();
                    zp[k] += step;
                    zm[k] -= step;
                    double[][] fp = field(modes, zp, t, h, w), fm = field(modes, zm, t, h, w);
                    double fd = (dot(remap(img, 1, h, w, fp[0], fp[1]), v) - dot(remap(img, 1, h, w, fm[0], fm[1]), v)) / (2 * step);
                    assertEquals(fd, dz[k], 1e-6 * Math.max(1, Math.abs(fd)), "cut " + cut + " sample " + s + " coefficient " + k);
                }
                // the production path (float field of the engine) gives the same gradient to float precision
                double[] prod = new double[modes.dimension()];
                new BilinearDeformer(modes, 1, h, w).gradient(img, 0, z, t, v, 0, prod);
                for (int k = 0; k < z.length; k++) {
                    assertEquals(dz[k], prod[k], 2e-3 * Math.max(1, Math.abs(dz[k])), "float path, coefficient " + k);
                }
            }
        }
    }

    /** modeGradient is the transpose of the synthesis: <dL/dz, z> = <g, field(z)> for the linear field. */
    @Test
    void modeGradientIsTheSynthesisTransposed() {
        int h = 20, w = 24;
        ModeVectors modes = new ModeVectors(7);
        double t = 2e-3;
        double[] z = new double[modes.dimension()], gx = new double[h * w], gy = new double[h * w];
        Normals.fill(1, 0, 0, 0, z, 0, z.length);
        Normals.fill(1, 1, 0, 0, gx, 0, gx.length);
        Normals.fill(1, 2, 0, 0, gy, 0, gy.length);
        double[] dz = new double[z.length];
        BilinearDeformer.modeGradient(modes, t, h, w, gx, gy, dz, new double[7 * h]);
        double[][] f = field(modes, z, t, h, w);
        double lhs = 0, rhs = 0;
        for (int k = 0; k < z.length; k++) {
            lhs += dz[k] * z[k];
        }
        for (int p = 0; p < h * w; p++) {
            rhs += gx[p] * f[0][p] + gy[p] * f[1][p];
        }
        assertEquals(rhs, lhs, 1e-10 * Math.abs(rhs));
        assertTrue(Math.abs(rhs) > 1);
    }
}
