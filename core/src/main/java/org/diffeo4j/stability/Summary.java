package org.diffeo4j.stability;

/**
 * Realisations of one quantity combined by log-averaging: {@code logmean = exp(mean_r ln v_r)}
 * (the geometric mean) and {@code stdLog} = the sample standard deviation of {@code ln v_r}
 * (n - 1 in the denominator, as torch.std; 0 for a single realisation).
 *
 * @param values one per realisation, in order
 */
public record Summary(double logmean, double stdLog, double[] values) {
    /** Summarises {@code values} (not modified). */
    public static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a summary needs at least 1 realisation, found 0");
        }
        double mean = 0;
        for (double v : values) {
            mean += Math.log(v);
        }
        mean /= values.length;
        double var = 0;
        for (double v : values) {
            var += (Math.log(v) - mean) * (Math.log(v) - mean);
        }
        double std = values.length > 1 ? Math.sqrt(var / (values.length - 1)) : 0;
        return new Summary(Math.exp(mean), std, values.clone());
    }
}
