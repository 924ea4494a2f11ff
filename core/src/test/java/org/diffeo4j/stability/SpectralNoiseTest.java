package org.diffeo4j.stability;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.DenseMlp;
import org.diffeo4j.random.Normals;
import org.diffeo4j.random.Philox4x32;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The spectrally matched noise: same power spectrum as tau x - x per image, channel and bin; same norm; seeded phases. */
class SpectralNoiseTest {
    private static final double RTOL = 1e-6;

    /** The DFT checked against the 2-D sum written out, on a plane with an odd and an even side. */
    @Test
    void dftIsTheDirectSum() {
        int h = 5, w = 6;
        double[] re = new double[h * w], im = new double[h * w];
        Normals.fill(3, 0, 0, 0, re, 0, h * w);
        double[] x = re.clone();
        new Dft2(h, w).transform(re, im, false);
        for (int ky = 0; ky < h; ky++) {
            for (int kx = 0; kx < w; kx++) {
                double sr = 0, si = 0;
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double a = -2 * Math.PI * ((double) ky * y / h + (double) kx * xx / w);
                        sr += x[y * w + xx] * Math.cos(a);
                        si += x[y * w + xx] * Math.sin(a);
                    }
                }
                assertEquals(sr, re[ky * w + kx], 1e-12, "re at " + ky + "," + kx);
                assertEquals(si, im[ky * w + kx], 1e-12, "im at " + ky + "," + kx);
            }
        }
        new Dft2(h, w).transform(re, im, true);
        for (int k = 0; k < h * w; k++) {
            assertEquals(x[k], re[k], 1e-12);
            assertEquals(0, im[k], 1e-12);
        }
    }

    /**
     * Per image, channel and frequency bin |N_k|^2 = |D_k|^2 to 1e-6 relative, and ||n|| = ||d||. The
     * output is real by construction (the imaginary part is dropped), so a broken Hermitian symmetry
     * would show here as a wrong spectrum. Shapes: MNIST digits deformed at c = 3 (28 x 28, even:
     * Nyquist bins), and 3 x 7 x 10 random displacements (one odd side).
     */
    @Test
    void powerSpectrumAndNormEqualTheDisplacementsPerBin() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 12);
        ImageBatch y;
        try (JavaBackend b = new JavaBackend(1)) {
            y = b.deform(x, DiffeoSpec.ofDelta(3, 1.0, 28, Interpolation.BILINEAR), 5, 0);
        }
        List<double[]> ds = new ArrayList<>();
        int size = x.sampleSize();
        for (int s = 0; s < x.count(); s++) {
            double[] d = new double[size];
            for (int k = 0; k < size; k++) {
                d[k] = (double) y.data()[s * size + k] - x.data()[s * size + k];
            }
            ds.add(d);
        }
        for (int s = 0; s < ds.size(); s++) {
            check(ds.get(s), 1, 28, 28, 11, s);
        }
        for (int s = 0; s < 4; s++) {
            double[] d = new double[3 * 7 * 10];
            Normals.fill(9, s, 0, 0, d, 0, d.length);
            check(d, 3, 7, 10, 2, s);
        }
    }

    private static void check(double[] d, int c, int h, int w, long seed, long sample) {
        SpectralNoise.Scratch s = new SpectralNoise.Scratch(c, h, w);
        double[] n = new double[d.length];
        SpectralNoise.randomisePhases(d, seed, sample, n, s);
        double[] pd = power(d, c, h, w), pn = power(n, c, h, w);
        double total = Arrays.stream(pd).sum();
        List<String> bad = new ArrayList<>();
        for (int k = 0; k < pd.length; k++) {
            if (Math.abs(pn[k] - pd[k]) > 1e-12 * total + RTOL * pd[k] && bad.size() < 10) {
                bad.add("bin " + k + ": expected " + pd[k] + ", found " + pn[k]);
            }
        }
        if (!bad.isEmpty()) {
            fail("sample " + sample + ", " + c + "x" + h + "x" + w + ":\n" + String.join("\n", bad));
        }
        double nd = norm2(d), nn = norm2(n);
        assertEquals(nd, nn, RTOL * nd, "norm^2 of sample " + sample);
        assertFalse(Arrays.equals(d, n), "the phases must change the image");
    }

    private static double[] power(double[] v, int c, int h, int w) {
        double[] out = new double[v.length];
        Dft2 dft = new Dft2(h, w);
        for (int ch = 0; ch < c; ch++) {
            double[] re = Arrays.copyOfRange(v, ch * h * w, (ch + 1) * h * w), im = new double[h * w];
            dft.transform(re, im, false);
            for (int k = 0; k < h * w; k++) {
                out[ch * h * w + k] = re[k] * re[k] + im[k] * im[k];
            }
        }
        return out;
    }

    private static double norm2(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a * a;
        }
        return s;
    }

    /** The phase of a canonical bin is 2 pi u of its documented address: element ch*H*W + ky*W + kx on stream 6. */
    @Test
    void phaseIsReadAtItsDocumentedAddress() {
        int h = 8, w = 8;
        double[] d = new double[h * w];
        d[0] = 1; // a delta: every D_k = 1, so N_k = e^(i phi_k) exactly
        double[] n = new double[h * w];
        SpectralNoise.randomisePhases(d, 77, 123, n, new SpectralNoise.Scratch(1, h, w));
        double[] re = n.clone(), im = new double[h * w];
        new Dft2(h, w).transform(re, im, false);
        int[] words = new int[4];
        for (int e : new int[]{1, 2, 9, 13}) { // canonical bins (ky, kx) = (0,1), (0,2), (1,1), (1,5)
            Philox4x32.block(e / 4, SpectralNoise.STREAM_PHASE, 123, 0, 77, 0, words);
            double phi = 2 * Math.PI * Normals.uniform(words[e % 4]);
            assertEquals(Math.cos(phi), re[e], 1e-12, "bin " + e);
            assertEquals(Math.sin(phi), im[e], 1e-12, "bin " + e);
        }
        Philox4x32.block(0, SpectralNoise.STREAM_PHASE, 123, 0, 77, 0, words);
        assertEquals(Normals.uniform(words[0]) < 0.5 ? -1 : 1, re[0], 1e-12, "DC keeps a real value, its sign the phase");
    }

    @Test
    void sameSeedSameNoiseOtherSeedOrSampleOtherPhases() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 6);
        ImageBatch y;
        try (JavaBackend b = new JavaBackend(1)) {
            y = b.deform(x, DiffeoSpec.ofDelta(3, 1.0, 28, Interpolation.BILINEAR), 5, 0);
        }
        float[] a = SpectralNoise.add(x, y, 4, 10).data(), again = SpectralNoise.add(x, y, 4, 10).data();
        float[] otherSeed = SpectralNoise.add(x, y, 5, 10).data(), otherSample = SpectralNoise.add(x, y, 4, 11).data();
        assertArrayEquals(a, again);
        int size = x.sampleSize();
        for (int s = 0; s < x.count(); s++) {
            float[] one = Arrays.copyOfRange(a, s * size, (s + 1) * size);
            assertFalse(Arrays.equals(one, Arrays.copyOfRange(otherSeed, s * size, (s + 1) * size)), "seed, image " + s);
            assertFalse(Arrays.equals(one, Arrays.copyOfRange(otherSample, s * size, (s + 1) * size)), "sample, image " + s);
            // the final image carries exactly ||tau x - x|| (float rounding of x + eta aside)
            double want = Noise.squaredDistance(x.data(), y.data(), s * size, size);
            double found = Noise.squaredDistance(x.data(), a, s * size, size);
            assertEquals(Math.sqrt(want), Math.sqrt(found), 1e-5 * Math.sqrt(want), "norm of image " + s);
        }
    }

    @Test
    void noDisplacementGivesNoNoise() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 2);
        assertArrayEquals(x.data(), SpectralNoise.add(x, x, 1, 0).data());
    }

    /** Switching the noise leaves D_f bit for bit and changes only G_f; the default spec is Gaussian. */
    @Test
    void measurementWithSpectralNoiseKeepsDf() {
        ImageBatch x = Idx.readImages(SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, 30);
        DenseMlp f = DenseMlp.randomLinear(1, 28, 28, 10, 4);
        StabilitySpec gauss = new StabilitySpec(List.of(3), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 2, 3, List.of());
        assertEquals(NoiseKind.GAUSSIAN, gauss.noise());
        try (JavaBackend b = new JavaBackend(2)) {
            CellResult g = new StabilityMeasurement(f, b).run(x, gauss, (d, t) -> { }).get(0);
            CellResult s = new StabilityMeasurement(f, b).run(x, gauss.withNoise(NoiseKind.SPECTRAL), (d, t) -> { }).get(0);
            assertEquals(NoiseKind.SPECTRAL, s.noise());
            assertArrayEquals(g.output().d().values(), s.output().d().values());
            assertFalse(Arrays.equals(g.output().g().values(), s.output().g().values()));
            assertTrue(s.output().g().logmean() > 0);
        }
    }

    @Test
    void parsesOnlyItsTwoNames() {
        assertEquals(NoiseKind.SPECTRAL, NoiseKind.parse(" Spectral"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NoiseKind.parse("other"));
        assertEquals("noise must be gaussian or spectral, found 'other'", e.getMessage());
    }
}
