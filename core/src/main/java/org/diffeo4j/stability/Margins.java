package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.model.Activations;

/**
 * The net's margin on each clean probe, from its outputs f(x) (logits, or whatever the output layer
 * gives: the margin is in its units). With labels, {@code f_y - max_(k != y) f_k}: positive exactly
 * when the true class wins, so its sign is correctness (a tie, margin 0, counts as wrong). Without
 * labels, {@code top1 - top2} (never negative), and correctness is unknown.
 *
 * @param labels the true classes, or null
 * @param correct per probe, or null without labels
 */
public record Margins(double[] margin, int[] predicted, int[] labels, boolean[] correct) {
    public Margins {
        if (margin == null || predicted == null || margin.length != predicted.length
                || (labels != null && labels.length != margin.length) || (labels == null) != (correct == null)) {
            throw new IllegalArgumentException("margins, predictions, labels and correctness must be one per probe, found lengths "
                    + len(margin) + ", " + len(predicted) + ", " + (labels == null ? "none" : labels.length)
                    + ", " + (correct == null ? "none" : correct.length));
        }
    }

    private static String len(Object a) {
        return a == null ? "null" : String.valueOf(java.lang.reflect.Array.getLength(a));
    }

    /** "true class - best other" with labels, else "top1 - top2". */
    public String kind() {
        return labels != null ? "true class - best other" : "top1 - top2";
    }

    /** Margins of {@code output} (P x K, K >= 2); {@code labels} (one per probe, in [0, K)) may be null. Not modified. */
    public static Margins of(Activations output, int[] labels) {
        int p = output.count(), k = output.units();
        if (k < 2) {
            throw new IllegalArgumentException("a margin needs at least 2 outputs, found " + k);
        }
        double[] m = new double[p];
        int[] pred = new int[p];
        boolean[] ok = labels == null ? null : new boolean[p];
        for (int i = 0; i < p; i++) {
            int top = 0;
            for (int u = 1; u < k; u++) {
                if (output.get(i, u) > output.get(i, top)) {
                    top = u;
                }
            }
            pred[i] = top;
            int ref = top;
            if (labels != null) {
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new BadInputException("label of probe " + i + " must lie in [0, " + k + "), found " + labels[i]);
                }
                ref = labels[i];
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int u = 0; u < k; u++) {
                if (u != ref) {
                    best = Math.max(best, output.get(i, u));
                }
            }
            m[i] = (double) output.get(i, ref) - best;
            if (ok != null) {
                ok[i] = m[i] > 0;
            }
        }
        return new Margins(m, pred, labels == null ? null : labels.clone(), ok);
    }
}
