import org.diffeo4j.backend.JavaBackend;
import org.diffeo4j.cpu.DiffeoNative;
import org.diffeo4j.cpu.NativeBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.Modes;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.interp.Remap;
import org.diffeo4j.random.Normals;

import java.util.SplittableRandom;

/**
 * The measurements of docs/precision.md, printed as its tables' rows. Part 1: the Java reference's
 * largest error against float64 sums (Eq. 2 for fields; the dense Gaussian and the bilinear lerp at
 * the same float sample point). Part 2: how many floats the native AVX2 kernels' own log/sin/cos/exp
 * change against Java (draws, Gaussian remap), and how many Box–Muller doubles libm and
 * java.lang.Math disagree on. Run from the project root after
 * {@code mvn -B -q -pl native -am package -DskipTests}:
 * <pre>
 * java -cp core/target/classes:native/target/classes:$HOME/.m2/repository/org/bytedeco/javacpp/1.5.7/javacpp-1.5.7.jar \
 *      tools/PrecisionMeasure.java
 * </pre>
 * Part 1 uses only public core API, so pointing the class path at an older core jar measures that.
 */
public class PrecisionMeasure {
    static final double SIGMA = 0.4715;

    public static void main(String[] args) {
        System.out.println("n, c, delta | samples | max |field| px | field err | gaussian err | bilinear err");
        for (int[] s : new int[][]{{28, 3}, {32, 15}, {64, 30}, {224, 30}}) {
            for (double delta : new double[]{1, 3}) {
                againstFloat64(s[0], s[1], delta, s[0] >= 224 ? 4 : 64);
            }
        }
        if (args.length > 0 && args[0].equals("--java-only")) {
            return;
        }
        avx2AgainstJava();
    }

    static void againstFloat64(int n, int c, double delta, int count) {
        double t = Temperatures.temperature(delta, c, n), scale = n * Math.sqrt(t);
        CoefficientBatch z = CoefficientBatch.draw(c, 7 + n, 0, count);
        FieldBatch f = FieldSynthesis.synthesize(z, t, n, n);
        double[][] sin = new double[c][n];
        for (int i = 1; i <= c; i++) {
            for (int p = 0; p < n; p++) {
                sin[i - 1][p] = Math.sin(Math.PI * i * p / (n - 1));
            }
        }
        double errField = 0, maxField = 0;
        for (int k = 0; k < count; k++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double u = 0, v = 0;
                    for (int i = 1; i <= c; i++) {
                        for (int j = 1; j <= c; j++) {
                            if (Modes.contains(c, i, j)) {
                                int e = k * c * c + (i - 1) * c + j - 1;
                                double b = sin[i - 1][x] * sin[j - 1][y] / Math.sqrt(i * i + j * j);
                                u += z.zu()[e] * b;
                                v += z.zv()[e] * b;
                            }
                        }
                    }
                    int q = k * n * n + y * n + x;
                    errField = Math.max(errField, Math.max(Math.abs(scale * u - f.dx()[q]), Math.abs(scale * v - f.dy()[q])));
                    maxField = Math.max(maxField, Math.abs(scale * u));
                }
            }
        }
        SplittableRandom r = new SplittableRandom(3);
        float[] img = new float[count * n * n], gauss = new float[img.length], lin = new float[img.length];
        for (int q = 0; q < img.length; q++) {
            img[q] = (float) r.nextDouble();
        }
        double errGauss = 0, errLin = 0, a = 1.0 / (2 * SIGMA * SIGMA);
        for (int k = 0; k < count; k++) {
            int o = k * n * n;
            Remap.sample(Interpolation.GAUSSIAN, img, o, 1, n, n, f.dx(), f.dy(), o, gauss, o);
            Remap.sample(Interpolation.BILINEAR, img, o, 1, n, n, f.dx(), f.dy(), o, lin, o);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int q = o + y * n + x;
                    float fx = x - f.dx()[q], fy = y - f.dy()[q]; // the float sample point, as every backend
                    double px = Math.max(0, Math.min(n - 1, fx)), py = Math.max(0, Math.min(n - 1, fy));
                    double num = 0, den = 0; // dense within 8 px: beyond, weights are below exp(-64 a) = 1e-63
                    for (int yy = Math.max(0, (int) py - 8); yy <= Math.min(n - 1, (int) py + 9); yy++) {
                        for (int xx = Math.max(0, (int) px - 8); xx <= Math.min(n - 1, (int) px + 9); xx++) {
                            double w = Math.exp(-a * ((xx - px) * (xx - px) + (yy - py) * (yy - py)));
                            num += w * img[o + yy * n + xx];
                            den += w;
                        }
                    }
                    errGauss = Math.max(errGauss, Math.abs(num / den - gauss[q]));
                    int x0 = (int) px, y0 = (int) py, x1 = Math.min(x0 + 1, n - 1), y1 = Math.min(y0 + 1, n - 1);
                    double ax = px - x0, ay = py - y0;
                    double top = (1 - ax) * img[o + y0 * n + x0] + ax * img[o + y0 * n + x1];
                    double bottom = (1 - ax) * img[o + y1 * n + x0] + ax * img[o + y1 * n + x1];
                    errLin = Math.max(errLin, Math.abs((1 - ay) * top + ay * bottom - lin[q]));
                }
            }
        }
        System.out.printf("%d, %d, %.0f | %d | %.2f | %.1e | %.1e | %.1e%n", n, c, delta, count, maxField, errField, errGauss, errLin);
    }

    static void avx2AgainstJava() {
        if (DiffeoNative.diffeo_simd_level() != 2) {
            System.out.println("no AVX2 on this CPU: part 2 skipped");
            return;
        }
        try (JavaBackend java = new JavaBackend(2); NativeBackend avx2 = new NativeBackend(2, 2)) {
            long floats = 0, differ = 0;
            for (int cut : new int[]{3, 15, 30}) {
                int count = 20_000;
                CoefficientBatch want = CoefficientBatch.draw(cut, 12345, 0, count);
                float[] zu = new float[count * cut * cut], zv = new float[zu.length];
                DiffeoNative.diffeo_draw(zu, zv, count, cut, 12345, 0, 2);
                differ += countDiffering(want.zu(), zu) + countDiffering(want.zv(), zv);
                floats += 2L * zu.length;
            }
            System.out.printf("AVX2 draws: %d of %d floats differ from Java%n", differ, floats);
            floats = 0;
            differ = 0;
            for (int[] s : new int[][]{{28, 1, 3, 2048}, {32, 3, 15, 256}, {33, 4, 6, 256}, {224, 3, 30, 4}, {20, 2, 7, 256}}) {
                for (double delta : new double[]{1, 12}) {
                    int n = s[0];
                    CoefficientBatch z = CoefficientBatch.draw(s[2], 5 + n, 0, s[3]);
                    FieldBatch f = java.synthesize(z, Temperatures.temperature(delta, s[2], n), n, n);
                    ImageBatch in = ImageBatch.zeros(s[3], s[1], n, n);
                    SplittableRandom r = new SplittableRandom(n);
                    for (int q = 0; q < in.data().length; q++) {
                        in.data()[q] = (float) r.nextDouble();
                    }
                    float[] want = java.remap(in, f, Interpolation.GAUSSIAN).data();
                    differ += countDiffering(want, avx2.remap(in, f, Interpolation.GAUSSIAN).data());
                    floats += want.length;
                }
            }
            System.out.printf("AVX2 Gaussian remap: %d of %d floats differ from Java%n", differ, floats);
        }
        long total = 0, differ = 0;
        double worst = 0;
        for (long sample = 0; sample < 20_000; sample++) {
            for (int e = 0; e < 64; e++, total++) {
                double want = Normals.at(7, sample, 0, e), got = DiffeoNative.diffeo_normal_at(7, sample, 0, e);
                if (want != got) {
                    differ++;
                    worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
                }
            }
        }
        System.out.printf("Box-Muller doubles, libm against java.lang.Math: %d of %d differ, by at most %.1e relative%n",
                differ, total, worst);
    }

    static long countDiffering(float[] a, float[] b) {
        long n = 0;
        for (int k = 0; k < a.length; k++) {
            n += Float.floatToIntBits(a[k]) != Float.floatToIntBits(b[k]) ? 1 : 0;
        }
        return n;
    }
}
