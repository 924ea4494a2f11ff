package org.diffeo4j.augment;

import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Modes;

/**
 * Keypoints under a deformation. The deformed image is {@code out(q) = in(q - tau(q))}
 * ({@code Remap}), so the content at original point p appears at the q solving
 * {@code q - tau(q) = p}. Newton's method on {@code F(q) = q - tau(q) - p} with the analytic field
 * and Jacobian of Eq. 2 (double precision, at any real q, no grid interpolation), starting from
 * {@code q0 = p + tau(p)} (exact to first order), with the step halved while it does not reduce
 * |F|. A point is {@link Moved#converged} when {@code |F(q)| <= } {@link #TOLERANCE_PX}, reached in a
 * few iterations where det(I - grad tau) > 0; it is not when the iteration stalls (a fold, where the
 * inverse is not unique) or runs {@link #MAX_ITERATIONS}.
 */
public final class Keypoints {
    /** Residual |q - tau(q) - p| below which a point has converged, in pixels. */
    public static final double TOLERANCE_PX = 1e-6;
    /** Newton iterations before giving up. */
    public static final int MAX_ITERATIONS = 50;

    private Keypoints() {
    }

    /**
     * A moved point.
     *
     * @param x column of the point in the deformed image (pixels)
     * @param y row of the point in the deformed image
     * @param residual |q - tau(q) - p| in pixels
     * @param iterations Newton steps taken
     * @param converged residual <= {@link #TOLERANCE_PX}
     * @param inside (x, y) lies in [0, width-1] x [0, height-1]
     */
    public record Moved(double x, double y, double residual, int iterations, boolean converged, boolean inside) {
    }

    /**
     * The field of sample s of {@code scaled} (coefficients already multiplied by sqrt(T)) at (x, y):
     * {@code out = {dx, dy, d(dx)/dx, d(dx)/dy, d(dy)/dx, d(dy)/dy}}, pixels.
     */
    public static void field(CoefficientBatch scaled, int s, int height, int width, double x, double y, double[] out) {
        int c = scaled.cut(), off = s * c * c;
        double kx = Math.PI / (width - 1), ky = Math.PI / (height - 1);
        double[] sx = new double[c], cx = new double[c], sy = new double[c], cy = new double[c];
        for (int i = 1; i <= c; i++) {
            sx[i - 1] = Math.sin(kx * i * x);
            cx[i - 1] = kx * i * Math.cos(kx * i * x);
            sy[i - 1] = Math.sin(ky * i * y);
            cy[i - 1] = ky * i * Math.cos(ky * i * y);
        }
        double u = 0, ux = 0, uy = 0, v = 0, vx = 0, vy = 0;
        for (int i = 1; i <= c; i++) {
            for (int j = 1; j <= c; j++) {
                if (!Modes.contains(c, i, j)) {
                    continue;
                }
                int e = off + (i - 1) * c + (j - 1);
                // Eq. 2: mode (i, j) has weight 1/sqrt(i^2 + j^2); i runs along x, j along y (FieldSynthesis)
                double w = 1.0 / Math.sqrt(i * i + j * j), a = w * scaled.zu()[e], b = w * scaled.zv()[e];
                u += a * sx[i - 1] * sy[j - 1];
                ux += a * cx[i - 1] * sy[j - 1];
                uy += a * sx[i - 1] * cy[j - 1];
                v += b * sx[i - 1] * sy[j - 1];
                vx += b * cx[i - 1] * sy[j - 1];
                vy += b * sx[i - 1] * cy[j - 1];
            }
        }
        // dx = width * tau_u, dy = height * tau_v (DESIGN.md section 1)
        out[0] = width * u;
        out[1] = height * v;
        out[2] = width * ux;
        out[3] = width * uy;
        out[4] = height * vx;
        out[5] = height * vy;
    }

    /** Inverse of {@code q -> q - tau(q)} at p = (px, py) for sample s (see the class comment). */
    public static Moved move(CoefficientBatch scaled, int s, int height, int width, double px, double py) {
        double[] f = new double[6];
        field(scaled, s, height, width, px, py, f);
        double qx = px + f[0], qy = py + f[1];
        field(scaled, s, height, width, qx, qy, f);
        double rx = qx - f[0] - px, ry = qy - f[1] - py, r = Math.hypot(rx, ry);
        int it = 0;
        while (r > TOLERANCE_PX && it < MAX_ITERATIONS) {
            it++;
            // J = I - grad tau; Newton step solves J d = -F
            double a = 1 - f[2], b = -f[3], c = -f[4], d = 1 - f[5], det = a * d - b * c;
            if (det == 0 || !Double.isFinite(det)) {
                break;
            }
            double sx = -(d * rx - b * ry) / det, sy = -(-c * rx + a * ry) / det;
            double step = 1;
            boolean improved = false;
            for (int halve = 0; halve < 30; halve++, step /= 2) {
                double nx = qx + step * sx, ny = qy + step * sy;
                field(scaled, s, height, width, nx, ny, f);
                double nrx = nx - f[0] - px, nry = ny - f[1] - py, nr = Math.hypot(nrx, nry);
                if (nr < r) {
                    qx = nx;
                    qy = ny;
                    rx = nrx;
                    ry = nry;
                    r = nr;
                    improved = true;
                    break;
                }
            }
            if (!improved) {
                field(scaled, s, height, width, qx, qy, f);
                break;
            }
        }
        boolean inside = qx >= 0 && qx <= width - 1 && qy >= 0 && qy <= height - 1;
        return new Moved(qx, qy, r, it, r <= TOLERANCE_PX, inside);
    }
}
