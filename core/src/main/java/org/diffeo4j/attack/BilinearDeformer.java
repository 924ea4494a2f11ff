package org.diffeo4j.attack;

import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.SineBasis;
import org.diffeo4j.interp.Remap;

/**
 * One sample's deformation by given coefficients and its derivative with respect to them, on the
 * engine's own path: the field is {@link FieldSynthesis#synthesizePair} at T (dx = W sqrt(T) tau_u,
 * dy = H sqrt(T) tau_v, DESIGN.md section 1) and the image {@link Remap#bilinear} of it, exactly as the
 * Java backend deforms a drawn sample; so an image deformed here is the one {@code deform
 * --coefficients} replays, bit for bit.
 *
 * <p>The derivative is the chain rule in closed form. The remap {@code out_c(p) = bilinear(in_c, s)},
 * {@code s = clamp(p - d(p))}, has {@code d out / d s_x = (1 - f_y)(a01 - a00) + f_y (a11 - a10)} and
 * {@code d out / d s_y = bottom - top} inside the cell of s (a00..a11 its corners, f its fractions;
 * the right-hand derivative where s is on a grid line), {@code d s / d d = -1} where the point is not
 * clamped and 0 where it is. The field is linear in z: {@code d dx(y, x) / d z^u_ij = W sqrt(T)
 * w_ij sin(i pi x/(W-1)) sin(j pi y/(H-1))}, so {@code dL/dz^u_ij = W sqrt(T) w_ij sum_y by_j(y)
 * sum_x bx_i(x) dL/ddx(y, x)}: two small products, the transpose of the synthesis, in double.
 *
 * <p>Not thread-safe: one per thread.
 */
public final class BilinearDeformer {
    private final ModeVectors modes;
    private final int cut, channels, h, w;
    private final SineBasis bx, by;
    private final FieldSynthesis.Scratch synthesis;
    private final Remap.BilinearScratch remap;
    private final float[] dx, dy, zu, zv;
    private final double[] gx, gy, rows, ddx, ddy;

    /** For images of {@code channels x h x w} and coefficient vectors of {@code modes}. */
    public BilinearDeformer(ModeVectors modes, int channels, int h, int w) {
        this.modes = modes;
        this.cut = modes.cut();
        this.channels = channels;
        this.h = h;
        this.w = w;
        bx = SineBasis.sine(w, cut);
        by = SineBasis.sine(h, cut);
        synthesis = new FieldSynthesis.Scratch(cut, h, w);
        remap = new Remap.BilinearScratch(h * w);
        dx = new float[h * w];
        dy = new float[h * w];
        zu = new float[cut * cut];
        zv = new float[cut * cut];
        gx = new double[h * w];
        gy = new double[h * w];
        rows = new double[cut * h];
        ddx = new double[h * w];
        ddy = new double[h * w];
    }

    /**
     * Deforms one sample by float grids {@code zu[zOff ..]}, {@code zv[zOff ..]} (c*c each, not modified).
     *
     * @param in the sample at {@code in[inOff ..]}, C*H*W; not modified
     * @param out C*H*W floats at {@code out[outOff ..]}; overwritten
     */
    public void deform(float[] in, int inOff, float[] zuGrid, float[] zvGrid, int zOff, double temperature, float[] out, int outOff) {
        field(zuGrid, zvGrid, zOff, temperature);
        Remap.bilinear(in, inOff, channels, h, w, dx, dy, 0, out, outOff, remap);
    }

    /** Deforms one sample by the vector {@code z} (rounded to float grids, as they are written out). */
    public void deform(float[] in, int inOff, double[] z, double temperature, float[] out, int outOff) {
        modes.toGrid(z, zu, zv, 0);
        deform(in, inOff, zu, zv, 0, temperature, out, outOff);
    }

    /**
     * {@code dL/dz} of {@code L(z) = sum_c,p upstream_c(p) out_c(p)} at {@code z} (rounded to float as in
     * {@link #deform(float[], int, double[], double, float[], int)}), into {@code dz} (2M, overwritten).
     */
    public void gradient(float[] in, int inOff, double[] z, double temperature, float[] upstream, int upOff, double[] dz) {
        modes.toGrid(z, zu, zv, 0);
        field(zu, zv, 0, temperature);
        for (int p = 0; p < h * w; p++) {
            ddx[p] = dx[p];
            ddy[p] = dy[p];
        }
        fieldGradient(in, inOff, channels, h, w, ddx, ddy, upstream, upOff, gx, gy);
        modeGradient(modes, temperature, h, w, gx, gy, dz, rows);
    }

    private void field(float[] zuGrid, float[] zvGrid, int zOff, double temperature) {
        double root = Math.sqrt(temperature);
        FieldSynthesis.synthesizePair(cut, zuGrid, zvGrid, zOff, w * root, h * root, bx, by, synthesis, dx, dy, 0);
    }

    /**
     * {@code dL/d dx(p)} and {@code dL/d dy(p)} of the bilinear remap of one sample through the field
     * (dx, dy) given in double, for {@code L = sum_c,p upstream_c(p) out_c(p)}.
     *
     * @param gx h*w, overwritten; likewise gy
     */
    public static void fieldGradient(float[] in, int inOff, int channels, int h, int w, double[] dx, double[] dy,
                                     float[] upstream, int upOff, double[] gx, double[] gy) {
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double ux = x - dx[p], uy = y - dy[p];
                boolean freeX = ux > 0 && ux < w - 1, freeY = uy > 0 && uy < h - 1; // d s / d d = -1 inside, 0 where clamped
                double sx = Math.min(Math.max(ux, 0), w - 1), sy = Math.min(Math.max(uy, 0), h - 1);
                int x0 = (int) sx, y0 = (int) sy;
                int stepX = x0 < w - 1 ? 1 : 0, stepY = y0 < h - 1 ? w : 0;
                double fx = sx - x0, fy = sy - y0;
                double sumX = 0, sumY = 0;
                for (int c = 0; c < channels; c++) {
                    int i = inOff + c * plane + y0 * w + x0;
                    double a00 = in[i], a01 = in[i + stepX], a10 = in[i + stepY], a11 = in[i + stepY + stepX];
                    double u = upstream[upOff + c * plane + p];
                    sumX += u * ((1 - fy) * (a01 - a00) + fy * (a11 - a10));
                    double top = a00 + fx * (a01 - a00), bottom = a10 + fx * (a11 - a10);
                    sumY += u * (bottom - top);
                }
                gx[p] = freeX ? -sumX : 0;
                gy[p] = freeY ? -sumY : 0;
            }
        }
    }

    /**
     * {@code dL/dz} from {@code dL/ddx}, {@code dL/ddy} (h*w each): the transpose of the synthesis,
     * {@code dL/dz^u_ij = W sqrt(T) w_ij sum_y by_j(y) sum_x bx_i(x) gx(y, x)}, and with H for z^v.
     *
     * @param dz 2M, overwritten
     * @param rows scratch of at least c*h doubles
     */
    public static void modeGradient(ModeVectors modes, double temperature, int h, int w, double[] gx, double[] gy,
                                    double[] dz, double[] rows) {
        int c = modes.cut(), m = modes.modes();
        double[][] bx = SineBasis.sine(w, c).exact(), by = SineBasis.sine(h, c).exact();
        double root = Math.sqrt(temperature);
        for (int field = 0; field < 2; field++) {
            double[] g = field == 0 ? gx : gy;
            double scale = (field == 0 ? w : h) * root;
            for (int i = 0; i < c; i++) { // rows[i][y] = sum_x bx_i(x) g(y, x)
                double[] b = bx[i];
                for (int y = 0; y < h; y++) {
                    double s = 0;
                    for (int x = 0; x < w; x++) {
                        s += b[x] * g[y * w + x];
                    }
                    rows[i * h + y] = s;
                }
            }
            for (int k = 0; k < m; k++) {
                int grid = modes.gridIndex(k), i = grid / c, j = grid % c;
                double s = 0;
                for (int y = 0; y < h; y++) {
                    s += by[j][y] * rows[i * h + y];
                }
                double weight = 1.0 / Math.sqrt((i + 1) * (i + 1) + (j + 1) * (j + 1));
                dz[field * m + k] = scale * weight * s;
            }
        }
    }
}
