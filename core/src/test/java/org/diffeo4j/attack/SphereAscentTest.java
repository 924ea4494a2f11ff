package org.diffeo4j.attack;

import org.diffeo4j.random.Normals;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphereAscentTest {
    /** L(z) = z^T A z on the sphere |z| = r peaks at r^2 lambda_max; both gradients get there, never going down. */
    @Test
    void climbsAQuadraticToItsTopEigenvalue() {
        int dim = 12;
        double[][] a = new double[dim][dim];
        double[] g = new double[dim * dim];
        Normals.fill(5, 0, 0, 0, g, 0, g.length);
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                for (int k = 0; k < dim; k++) {
                    a[i][j] += g[k * dim + i] * g[k * dim + j] / dim;
                }
            }
        }
        double top = 0;
        double[] v = NoiseAttack.topEigenvector(a);
        double[] av = times(a, v);
        top = SphereAscent.dot(v, av) / SphereAscent.dot(v, v);
        // the eigenvector check of Jacobi itself: A v = lambda v
        for (int i = 0; i < dim; i++) {
            assertEquals(top * v[i], av[i], 1e-9);
        }
        double[][] starts = new double[4][dim];
        for (int w = 0; w < 4; w++) {
            Normals.fill(6, w, 0, 0, starts[w], 0, dim);
            ModeVectors.scaleTo(starts[w], 2 * dim);
        }
        for (boolean autograd : new boolean[]{true, false}) {
            SphereAscent.Result r = SphereAscent.run(starts, 40, autograd, (walkers, points, values, outputs, grads) -> {
                for (int q = 0; q < points.length; q++) {
                    double[] az = times(a, points[q]);
                    values[q] = SphereAscent.dot(points[q], az);
                    outputs[q] = new float[]{(float) values[q]};
                    if (grads != null) {
                        for (int k = 0; k < dim; k++) {
                            grads[q][k] = 2 * az[k];
                        }
                    }
                }
            });
            for (int w = 0; w < 4; w++) {
                double start = SphereAscent.dot(starts[w], times(a, starts[w]));
                assertTrue(r.value()[w] >= start);
                assertEquals(2 * dim * top, r.value()[w], 1e-3 * 2 * dim * top, (autograd ? "autograd" : "finite differences") + ", walker " + w);
                assertEquals(2 * dim, SphereAscent.dot(r.best()[w], r.best()[w]), 1e-9, "on the sphere");
            }
            assertTrue(autograd ? r.gradientPasses() > 0 : r.gradientPasses() == 0);
        }
    }

    static double[] times(double[][] a, double[] z) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z.length; j++) {
                out[i] += a[i][j] * z[j];
            }
        }
        return out;
    }
}
