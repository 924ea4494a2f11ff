package org.diffeo4j.stripe;

/** Training and measuring one (P, seed) cell. */
public final class StripeCells {
    /**
     * A trained cell, kept for the figures.
     *
     * @param x training points [P][d]
     * @param y their labels
     */
    public record Trained(StripeSpec spec, int trainSize, int seed, double[] x, double[] y, HingeTraining.Outcome outcome) {
    }

    private StripeCells() {
    }

    /** Draws the first P training points of {@code seed} and trains the initial net of {@code seed} on them. */
    public static Trained train(StripeSpec spec, int trainSize, int seed) {
        int d = spec.dim();
        double[] x = StripeStreams.points(seed, StripeStreams.TRAIN, trainSize, d);
        double[] y = spec.label().of(x, trainSize, d);
        ReluNet initial = ReluNet.initial(seed, d, spec.width());
        return new Trained(spec, trainSize, seed, x, y, HingeTraining.train(initial, x, y, trainSize, spec.training()));
    }

    /** Trains and measures: R_f before and after training on the test set of {@code seed}, and the test error. */
    public static StripeCell run(StripeSpec spec, int trainSize, int seed) {
        long t0 = System.nanoTime();
        Trained t = train(spec, trainSize, seed);
        int d = spec.dim(), n = spec.testSize();
        double[] xt = StripeStreams.points(seed, StripeStreams.TEST, n, d);
        double[] yt = spec.label().of(xt, n, d);
        AlphaNet g = t.outcome().net();
        double r = RelativeStability.measure(g, xt, n, d, spec.noiseNorm(), seed).r();
        double rInit = RelativeStability.measure(g.initial(), xt, n, d, spec.noiseNorm(), seed).r();
        double err = RelativeStability.testError(g, xt, yt, n, d);
        return new StripeCell(trainSize, seed, r, rInit, err, g.net().alignment(), t.outcome().epochs(), t.outcome().fitted(),
                (System.nanoTime() - t0) / 1e9);
    }
}
