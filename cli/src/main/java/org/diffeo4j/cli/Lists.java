package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import java.util.ArrayList;
import java.util.List;

/** Parsing of list options: {@code 1,2,5}, ranges {@code 0-9}, and log ranges {@code 1e-5:1:21}. */
final class Lists {
    private Lists() {
    }

    static int[] ints(String option, String text) {
        List<Integer> v = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).trim()), b = Integer.parseInt(p.substring(dash + 1).trim());
                    if (b < a) {
                        throw new BadInputException(option + " range must be increasing, found " + p);
                    }
                    for (int k = a; k <= b; k++) {
                        v.add(k);
                    }
                } else {
                    v.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new BadInputException(option + " must be a list of integers like 1,2,5 or 0-9, found '" + text + "'");
            }
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code v} to 12 significant digits: exp(log(...)) leaves 9.999999999999997E-6 where 1e-5 is
     * meant, which then shows in file names, tables and JSON.
     */
    static double round(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
    }

    /** A comma list of numbers, or {@code MIN:MAX:COUNT} for COUNT log-spaced values. */
    static double[] doubles(String option, String text) {
        try {
            String[] r = text.split(":");
            if (r.length == 3) {
                double lo = Double.parseDouble(r[0]), hi = Double.parseDouble(r[1]);
                int n = Integer.parseInt(r[2]);
                if (!(lo > 0) || !(hi >= lo) || n < 1) {
                    throw new BadInputException(option + " log range MIN:MAX:COUNT needs 0 < MIN <= MAX and COUNT >= 1, found '" + text + "'");
                }
                double[] v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = n == 1 ? lo : k == n - 1 ? hi : round(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * k / (n - 1)));
                }
                return v;
            }
            String[] parts = text.split(",");
            double[] v = new double[parts.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = Double.parseDouble(parts[k].trim());
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException(option + " must be numbers like 1e-3,1e-2 or MIN:MAX:COUNT, found '" + text + "'");
        }
    }
}
