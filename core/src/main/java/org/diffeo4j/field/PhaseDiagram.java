package org.diffeo4j.field;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.validate.Checks;

import org.diffeo4j.backend.Parallel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Section 2.2 / Appendix B: over a (c, T) grid, the empirical probability that a drawn field is a
 * diffeomorphism (det(I - grad tau) > 0 at every pixel), and the measured centre displacement that
 * places the delta = 1/2 and delta = 1 lines.
 *
 * <p>The derivative fields are linear in sqrt(T): with a = d(dx)/dx, b = d(dx)/dy, c = d(dy)/dx,
 * d = d(dy)/dy at T = 1, {@code det = (1 - sqrt(T) a)(1 - sqrt(T) d) - T b c}. So each sample is
 * synthesised once per cut-off and every temperature of its column costs one pass over the grid.
 * Sample s of every cell uses the coefficients at address (seed, s): columns share their draws
 * (common random numbers), which makes the measured boundary smooth in T.
 */
public final class PhaseDiagram {
    private PhaseDiagram() {
    }

    /**
     * @param size image side n
     * @param cuts cut-offs (columns)
     * @param temperatures temperatures (rows)
     * @param samples fields drawn per cell
     */
    public record Spec(int size, int[] cuts, double[] temperatures, int samples, long seed) {
        public Spec {
            Checks.requireAtLeast("size", 2, size);
            if (cuts.length == 0 || temperatures.length == 0) {
                throw new BadInputException("cuts and temperatures must be non-empty, found "
                        + cuts.length + " cuts and " + temperatures.length + " temperatures");
            }
            for (int c : cuts) { // the check of Modes, named after this record's list
                Checks.requireAtLeast("cuts", 1, c);
            }
            for (double t : temperatures) {
                if (!(t >= 0) || Double.isInfinite(t)) {
                    throw Checks.invalid("temperatures", "finite numbers >= 0", t);
                }
            }
            Checks.requireAtLeast("samples", 1, samples);
        }
    }

    /**
     * @param probability {@code probability[cut][temperature]} of a diffeomorphism
     * @param deltaPerRootT per cut, measured rms centre displacement divided by sqrt(T) (pixels)
     * @param deltaPerRootTExact per cut, the same from the pre-asymptotic formula
     */
    public record Result(Spec spec, double[][] probability, double[] deltaPerRootT, double[] deltaPerRootTExact) {
        /** Temperature at which the measured typical displacement is {@code delta}, per cut. */
        public double[] temperatureAt(double delta) {
            return Arrays.stream(deltaPerRootT).map(k -> delta * delta / (k * k)).toArray();
        }
    }

    /** Computes the diagram; {@code progress} receives the number of (cut, sample) pairs done. */
    public static Result compute(Spec spec, int threads, IntConsumer progress) {
        int nc = spec.cuts().length, nt = spec.temperatures().length, n = spec.size(), plane = n * n;
        int[][] diffeoCounts = new int[nc][nt];
        double[] centreSq = new double[nc];
        AtomicInteger done = new AtomicInteger();
        try (Parallel parallel = new Parallel(threads)) {
            for (int ci = 0; ci < nc; ci++) {
                int cut = spec.cuts()[ci], col = ci;
                int[][] partialCounts = new int[spec.samples()][];
                double[] partialSq = new double[spec.samples()];
                parallel.forRange(spec.samples(), 4, (from, to) -> {
                    float[] det = new float[plane];
                    for (int s = from; s < to; s++) {
                        CoefficientBatch z = CoefficientBatch.draw(cut, spec.seed(), s, 1);
                        float[][] g = derivatives(z, n);
                        int[] counts = new int[nt];
                        for (int ti = 0; ti < nt; ti++) {
                            double t = spec.temperatures()[ti], r = Math.sqrt(t);
                            boolean ok = true;
                            for (int p = 0; p < plane && ok; p++) {
                                ok = (1 - r * g[0][p]) * (1 - r * g[3][p]) - t * g[1][p] * g[2][p] > 0;
                            }
                            counts[ti] = ok ? 1 : 0;
                        }
                        partialCounts[s] = counts;
                        partialSq[s] = centreDisplacementSquared(z, n);
                        progress.accept(done.incrementAndGet());
                    }
                });
                for (int s = 0; s < spec.samples(); s++) {
                    for (int ti = 0; ti < nt; ti++) {
                        diffeoCounts[col][ti] += partialCounts[s][ti];
                    }
                    centreSq[col] += partialSq[s];
                }
            }
        }
        double[][] prob = new double[nc][nt];
        double[] k = new double[nc], exact = new double[nc];
        for (int ci = 0; ci < nc; ci++) {
            for (int ti = 0; ti < nt; ti++) {
                prob[ci][ti] = diffeoCounts[ci][ti] / (double) spec.samples();
            }
            k[ci] = Math.sqrt(centreSq[ci] / spec.samples());
            exact[ci] = Temperatures.deltaExact(1.0, spec.cuts()[ci], n);
        }
        return new Result(spec, prob, k, exact);
    }

    /** The four partial derivatives (a, b, c, d) of the T = 1 field pair of sample 0 of {@code z}. */
    static float[][] derivatives(CoefficientBatch z, int n) {
        int c = z.cut();
        SineBasis sx = SineBasis.sine(n, c), gx = SineBasis.derivative(n, c);
        FieldSynthesis.Scratch a = new FieldSynthesis.Scratch(c, n, n);
        float[][] out = new float[4][n * n];
        FieldSynthesis.synthesize(c, z.zu(), 0, n, gx, sx, a, out[0], 0);
        FieldSynthesis.synthesize(c, z.zu(), 0, n, sx, gx, a, out[1], 0);
        FieldSynthesis.synthesize(c, z.zv(), 0, n, gx, sx, a, out[2], 0);
        FieldSynthesis.synthesize(c, z.zv(), 0, n, sx, gx, a, out[3], 0);
        return out;
    }

    /**
     * |(dx, dy)|^2 at the continuous centre u = v = 1/2 for T = 1, in pixels^2: only odd modes
     * contribute, with sign sin(i pi/2) sin(j pi/2) = (-1)^((i+j)/2 - 1).
     */
    public static double centreDisplacementSquared(CoefficientBatch z, int n) {
        int c = z.cut();
        double[] w = FieldSynthesis.weights(c);
        double u = 0, v = 0;
        for (int i = 1; i <= c; i += 2) {
            for (int j = 1; j <= c; j += 2) {
                int e = (i - 1) * c + (j - 1);
                double sign = (((i + j) / 2 - 1) % 2 == 0) ? 1 : -1;
                u += sign * w[e] * z.zu()[e];
                v += sign * w[e] * z.zv()[e];
            }
        }
        return (double) n * n * (u * u + v * v);
    }
}
