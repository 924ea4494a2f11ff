package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import java.util.Locale;

/**
 * The learning rate of each epoch: constant, or the authors' {@code CosineAnnealingLR(T_max =
 * fraction x epochs)} stepped once per epoch (diffeo-sota optim_loss.py, fraction 0.8).
 *
 * <p>PyTorch 1.13 computes that rate recursively from the previous epoch's, not in closed form, and
 * this class repeats its arithmetic step by step (with Python's float {@code %}), so the rates equal
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}'s to rounding (ScheduleTest holds PyTorch's values):
 * the rate reaches 0 at epoch T_max and then <b>rises again</b>, to about 0.15 x lr at the end of
 * the authors' 250 epochs.
 *
 * @param fraction T_max / epochs for the cosine, 0 for the constant schedule
 */
public record Schedule(double fraction) {
    /** The same rate every epoch. */
    public static final Schedule CONSTANT = new Schedule(0);
    /** The authors' T_max = 0.8 x epochs. */
    public static final Schedule PAPER = new Schedule(0.8);

    public Schedule {
        if (!(fraction >= 0) || Double.isInfinite(fraction)) {
            throw new BadInputException("schedule must be constant or cosine[:FRACTION] with FRACTION > 0, found cosine:" + fraction);
        }
    }

    /** {@code constant}, {@code cosine} (fraction 0.8) or {@code cosine:FRACTION}. */
    public static Schedule parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("constant")) {
            return CONSTANT;
        }
        if (t.equals("cosine")) {
            return PAPER;
        }
        if (t.startsWith("cosine:")) {
            double f;
            try {
                f = Double.parseDouble(t.substring("cosine:".length()));
            } catch (NumberFormatException e) {
                f = Double.NaN;
            }
            if (f > 0 && !Double.isInfinite(f)) {
                return new Schedule(f);
            }
        }
        throw new BadInputException("schedule must be constant, cosine or cosine:FRACTION with FRACTION > 0, found '" + text + "'");
    }

    public boolean constant() {
        return fraction == 0;
    }

    /** As {@link #parse} reads it. */
    public String format() {
        return constant() ? "constant" : "cosine:" + fraction;
    }

    /**
     * The rate of every epoch 0 .. epochs-1 from base rate {@code lr}: PyTorch's chainable form
     * (eta_min = 0), epoch e's rate being the scheduler's after e calls of step().
     */
    public double[] rates(double lr, int epochs) {
        double[] r = new double[epochs];
        if (epochs == 0) {
            return r;
        }
        r[0] = lr;
        // Python evaluates args.epochs * 0.8 in double precision; so does this.
        double tMax = epochs * fraction;
        for (int e = 1; e < epochs; e++) {
            if (constant()) {
                r[e] = lr;
            } else if (pyMod(e - 1 - tMax, 2 * tMax) == 0) {
                r[e] = r[e - 1] + lr * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                r[e] = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * r[e - 1];
            }
        }
        return r;
    }

    /** Python's float {@code a % b}: the result has the sign of b (CPython float_rem). */
    static double pyMod(double a, double b) {
        double m = a % b; // C fmod
        if (m != 0) {
            if ((b < 0) != (m < 0)) {
                m += b;
            }
        } else {
            m = Math.copySign(0.0, b);
        }
        return m;
    }
}
