package org.diffeo4j.attack;

import org.diffeo4j.validate.BadInputException;
import java.util.Locale;

/**
 * What the attack maximises for a probe x with clean outputs f(x) = f0 and label y.
 * <ul>
 * <li>{@link #DISTANCE}: {@code ||f(tau x) - f0||^2}, the per-probe quantity D_f averages;</li>
 * <li>{@link #MARGIN}: {@code -(f_y(tau x) - max_(k != y) f_k(tau x))}, minus the true class's margin
 * (without labels y is the clean prediction, argmax f0): positive once the label flips.</li>
 * </ul>
 */
public enum Target {
    DISTANCE, MARGIN;

    /** Lower-case name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code distance|margin}. */
    public static Target parse(String s) {
        for (Target t : values()) {
            if (t.cliName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new BadInputException("target must be distance or margin, found '" + s + "'");
    }

    /**
     * The objective of one output row.
     *
     * @param out f(tau x) at {@code out[o .. o+k)}; clean f0 at {@code clean[c .. c+k)}; neither modified
     * @param label y, or the clean prediction without labels
     */
    public double value(float[] out, int o, float[] clean, int c, int k, int label) {
        if (this == DISTANCE) {
            double s = 0;
            for (int u = 0; u < k; u++) {
                double d = (double) out[o + u] - clean[c + u];
                s += d * d;
            }
            return s;
        }
        return (double) out[o + bestOther(out, o, k, label)] - out[o + label];
    }

    /**
     * The cotangent v = dL/df at the row: {@code 2 (f - f0)} for the distance, {@code e_k* - e_y} for the
     * margin (k* the best other class there), into {@code v[o .. o+k)}.
     */
    public void cotangent(float[] out, int o, float[] clean, int c, int k, int label, float[] v) {
        if (this == DISTANCE) {
            for (int u = 0; u < k; u++) {
                v[o + u] = 2 * (out[o + u] - clean[c + u]);
            }
            return;
        }
        java.util.Arrays.fill(v, o, o + k, 0f);
        v[o + bestOther(out, o, k, label)] = 1f;
        v[o + label] = -1f;
    }

    /** The largest output other than {@code label} (the first of ties). */
    static int bestOther(float[] out, int o, int k, int label) {
        int best = -1;
        for (int u = 0; u < k; u++) {
            if (u != label && (best < 0 || out[o + u] > out[o + best])) {
                best = u;
            }
        }
        return best;
    }

    /** argmax of a row (the first of ties), as {@link org.diffeo4j.stability.Margins} predicts. */
    public static int argmax(float[] out, int o, int k) {
        int top = 0;
        for (int u = 1; u < k; u++) {
            if (out[o + u] > out[o + top]) {
                top = u;
            }
        }
        return top;
    }
}
