package org.diffeo4j.stability;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.random.Normals;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatisticsTest {
    private static Activations random(int p, int k, long seed) {
        float[] d = new float[p * k];
        double[] row = new double[k];
        for (int i = 0; i < p; i++) {
            Normals.fill(seed, i, 0, 0, row, 0, k);
            for (int u = 0; u < k; u++) {
                d[i * k + u] = (float) row[u];
            }
        }
        return new Activations(p, k, d);
    }

    @Test
    void medianOfEvenCountIsLowerMiddle() {
        assertEquals(2, Average.MEDIAN.of(new double[]{4, 1, 3, 2}, 4));
        assertEquals(3, Average.MEDIAN.of(new double[]{5, 1, 3, 2, 4}, 5));
        assertEquals(2.5, Average.MEAN.of(new double[]{4, 1, 3, 2}, 4));
    }

    @Test
    void selectAgreesWithSortOnRandomAndTiedInput() {
        for (int n : new int[]{1, 2, 3, 10, 101, 1000}) {
            double[] v = new double[n];
            Normals.fill(7, n, 0, 0, v, 0, n);
            for (int q = 0; q < n; q += 3) {
                v[q] = Math.rint(v[q]); // ties
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < n; k += Math.max(1, n / 7)) {
                assertEquals(sorted[k], Select.kth(v.clone(), n, k), 0, "n=" + n + " k=" + k);
            }
        }
    }

    /** The half-matrix trick gives the median of the full P^2 ordered pairs, diagonal included. */
    @Test
    void denoIsMedianOverAllOrderedPairs() {
        for (int p : new int[]{1, 2, 3, 8, 31, 50}) {
            Activations a = random(p, 5, p);
            double[] all = new double[p * p];
            double mean = 0;
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    double s = 0;
                    for (int u = 0; u < 5; u++) {
                        double d = (double) a.get(i, u) - a.get(j, u);
                        s += d * d;
                    }
                    all[i * p + j] = s;
                    mean += s / (p * p);
                }
            }
            Arrays.sort(all);
            assertEquals(all[(p * p - 1) / 2], Statistics.deno(a, Average.MEDIAN), 0, "p=" + p);
            assertEquals(mean, Statistics.deno(a, Average.MEAN), 1e-12 * mean + 1e-300, "p=" + p);
        }
    }

    @Test
    void sensitivitySumsPerUnitMedians() {
        Activations a = new Activations(3, 2, new float[]{0, 0, 0, 0, 0, 0});
        Activations b = new Activations(3, 2, new float[]{1, 2, 3, 0, 2, 1});
        // unit 0: squares 1, 9, 4 -> median 4; unit 1: 4, 0, 1 -> median 1
        assertEquals(5, Statistics.sensitivity(a, b, Average.MEDIAN), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Statistics.sensitivity(a, new Activations(2, 2, new float[4]), Average.MEAN));
    }

    @Test
    void noiseHasExactlyTheDisplacementNorm() {
        ImageBatch x = new ImageBatch(3, 2, 4, 5, new float[120]);
        ImageBatch y = x.like();
        for (int k = 0; k < 120; k++) {
            x.data()[k] = (k % 7) / 7f;
            y.data()[k] = x.data()[k] + (k % 3 == 0 ? 0.25f : 0);
        }
        ImageBatch n = Noise.add(x, y, 11, 5);
        double[] want = Noise.displacementNorms(x, y), got = Noise.displacementNorms(x, n);
        for (int s = 0; s < 3; s++) {
            assertEquals(want[s], got[s], 1e-6 * want[s]);
        }
        // Sample addressing: image 1 of firstSample 5 equals image 0 of firstSample 6.
        ImageBatch n6 = Noise.add(x.slice(1, 1), y.slice(1, 1), 11, 6);
        assertEquals(Arrays.toString(n.slice(1, 1).data()), Arrays.toString(n6.data()));
    }

    @Test
    void summaryIsGeometricMeanWithSampleStd() {
        Summary s = Summary.of(new double[]{1, Math.E * Math.E});
        assertEquals(Math.E, s.logmean(), 1e-12);
        assertEquals(Math.sqrt(2), s.stdLog(), 1e-12);
        assertEquals(0, Summary.of(new double[]{3}).stdLog());
    }
}
