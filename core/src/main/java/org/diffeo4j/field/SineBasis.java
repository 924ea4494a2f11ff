package org.diffeo4j.field;

import org.diffeo4j.validate.BadInputException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Basis tables along one image axis of {@code n} pixels for modes {@code 1..cut}, stored
 * mode-major ({@code values[(i-1)*n + a]}) so that a row of the synthesis is a contiguous AXPY.
 *
 * <p>{@link Kind#SINE}: {@code sin(pi i a/(n-1))}, the basis of Eq. 2 with u = a/(n-1).
 * {@link Kind#DERIVATIVE}: its derivative in pixels, {@code (pi i/(n-1)) cos(pi i a/(n-1))}, used
 * for the Jacobian. A one-pixel axis has only the border, where the field vanishes: all zeros.
 * Tables are cached per (kind, n, cut); they are immutable once built. {@code rows[i-1]} holds
 * the same values as one array per mode: loops that index every array with the same expression
 * are the ones HotSpot C2 (JDK 17) vectorises, see {@link FieldSynthesis}. {@code wide} holds the
 * float values widened to double (exactly), the operands of the double first product of the float
 * path, as {@code Plan::by_d} of the native header; {@code exact} holds the values computed in
 * double, for the double path of large fields ({@code sine_basis_exact}).
 */
public record SineBasis(Kind kind, int n, int cut, float[] values, float[][] rows, double[][] wide, double[][] exact) {
    /** Which table. */
    public enum Kind { SINE, DERIVATIVE }

    private static final ConcurrentHashMap<String, SineBasis> CACHE = new ConcurrentHashMap<>();

    public SineBasis {
        if (values.length != n * cut || rows.length != cut || wide.length != cut || exact.length != cut) {
            throw new IllegalArgumentException("values must have n*cut = " + n * cut + " entries, found " + values.length);
        }
    }

    /** The cached sine table for an axis of {@code n} pixels. */
    public static SineBasis sine(int n, int cut) {
        return of(Kind.SINE, n, cut);
    }

    /** The cached derivative table for an axis of {@code n} pixels. */
    public static SineBasis derivative(int n, int cut) {
        return of(Kind.DERIVATIVE, n, cut);
    }

    /** The cached table of the given kind. */
    public static SineBasis of(Kind kind, int n, int cut) {
        if (n < 1) {
            throw new BadInputException("image side must be >= 1, found " + n);
        }
        Modes.requireCut(cut);
        return CACHE.computeIfAbsent(kind + ":" + n + ":" + cut, k -> build(kind, n, cut));
    }

    /** Value of mode {@code i} (1-based) at pixel {@code a}. */
    public float at(int i, int a) {
        return values[(i - 1) * n + a];
    }

    private static SineBasis build(Kind kind, int n, int cut) {
        float[] v = new float[n * cut];
        if (n > 1) {
            for (int i = 1; i <= cut; i++) {
                double k = Math.PI * i / (n - 1);
                for (int a = 0; a < n; a++) {
                    double arg = Math.PI * i * a / (n - 1);
                    v[(i - 1) * n + a] = (float) (kind == Kind.SINE ? Math.sin(arg) : k * Math.cos(arg));
                }
            }
        }
        float[][] rows = new float[cut][];
        double[][] wide = new double[cut][n], exact = new double[cut][n];
        for (int i = 0; i < cut; i++) {
            rows[i] = java.util.Arrays.copyOfRange(v, i * n, (i + 1) * n);
            for (int a = 0; a < n; a++) {
                wide[i][a] = rows[i][a];
            }
            double k = Math.PI * (i + 1) / Math.max(n - 1, 1);
            for (int a = 0; a < n && n > 1; a++) {
                double arg = Math.PI * (i + 1) * a / (n - 1);
                exact[i][a] = kind == Kind.SINE ? Math.sin(arg) : k * Math.cos(arg);
            }
        }
        return new SineBasis(kind, n, cut, v, rows, wide, exact);
    }
}
