package org.diffeo4j.stability;

import org.diffeo4j.validate.BadInputException;

import java.util.Locale;

/**
 * How the protocol averages over images and pairs: the reference's median, or the mean.
 *
 * <p>The median of an even count is the lower of the two middle elements (torch.median semantics,
 * which the reference uses), never their mean; with an odd count both conventions agree.
 */
public enum Average {
    MEDIAN, MEAN;

    /** Parses {@code median|mean}, case-insensitively. */
    public static Average parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Average a : values()) {
            if (a.cliName().equals(k)) {
                return a;
            }
        }
        throw new BadInputException("average must be median or mean, found '" + s + "'");
    }

    /** {@code median} or {@code mean}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The average of {@code v[0 .. n)}; {@code v} is reordered (not otherwise modified). */
    public double of(double[] v, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("an average needs at least 1 value, found " + n);
        }
        if (this == MEAN) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += v[k];
            }
            return s / n;
        }
        return Select.kth(v, n, (n - 1) / 2);
    }
}
