package org.diffeo4j.stripe;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;

/**
 * Parameters of a stripe-model sweep.
 *
 * @param dim d >= 2 (x_par and at least one invariant direction)
 * @param trainSizes the training-set sizes P, each >= 2; not modified (copied)
 * @param seeds K >= 1: seeds 0 .. K-1, each a Philox key for data, initial net and noise
 * @param width H >= 1 hidden neurons
 * @param noiseNorm |nu| = |eta| of Eq. 6, > 0
 * @param testSize test points for R_f and the test error, >= 1
 * @param label the stripes
 * @param training loss scale, step, cap
 */
public record StripeSpec(int dim, int[] trainSizes, int seeds, int width, double noiseNorm, int testSize,
                         StripeLabel label, HingeTraining.Spec training) {
    /** Default feature-regime training: alpha = 1e-2, lr = 1, at most 100000 steps (docs/stripe.md). */
    public static final HingeTraining.Spec DEFAULT_TRAINING = new HingeTraining.Spec(1e-2, 1.0, 100_000);

    public StripeSpec {
        if (dim < 2) {
            throw new BadInputException("dim must be >= 2, found " + dim);
        }
        if (trainSizes == null || trainSizes.length == 0) {
            throw new BadInputException("train-sizes must be a non-empty list, found none");
        }
        trainSizes = trainSizes.clone();
        for (int p : trainSizes) {
            if (p < 2) {
                throw new BadInputException("train-sizes must be >= 2 each (P, the training points), found " + p);
            }
        }
        if (Arrays.stream(trainSizes).distinct().count() != trainSizes.length) {
            throw new BadInputException("train-sizes must be distinct, found " + Arrays.toString(trainSizes));
        }
        if (seeds < 1) {
            throw new BadInputException("seeds must be >= 1, found " + seeds);
        }
        if (width < 1) {
            throw new BadInputException("width must be >= 1, found " + width);
        }
        if (!(noiseNorm > 0) || !Double.isFinite(noiseNorm)) {
            throw new BadInputException("noise-norm must be a finite number > 0, found " + noiseNorm);
        }
        if (testSize < 1) {
            throw new BadInputException("test must be >= 1, found " + testSize);
        }
        if (label == null || training == null) {
            throw new BadInputException("label and training must be given, found " + label + " and " + training);
        }
        trainSizes = Arrays.stream(trainSizes).sorted().toArray();
    }

    @Override
    public int[] trainSizes() {
        return trainSizes.clone();
    }

    /**
     * What a finished cell depends on besides (P, seed): a resumed run reuses only cells logged
     * under the same key.
     */
    public String cellKey() {
        return "stripe-v1 d=" + dim + " H=" + width + " S=" + noiseNorm + " test=" + testSize + " label="
                + Arrays.toString(label.boundaries()) + " alpha=" + training.alpha() + " lr=" + training.learningRate()
                + " cap=" + training.maxEpochs();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StripeSpec s && dim == s.dim && Arrays.equals(trainSizes, s.trainSizes) && seeds == s.seeds
                && width == s.width && Double.compare(noiseNorm, s.noiseNorm) == 0 && testSize == s.testSize
                && label.equals(s.label) && training.equals(s.training);
    }

    @Override
    public int hashCode() {
        return 31 * cellKey().hashCode() + Arrays.hashCode(trainSizes) + seeds;
    }

    @Override
    public String toString() {
        return "StripeSpec[" + cellKey() + " P=" + Arrays.toString(trainSizes) + " seeds=" + seeds + "]";
    }
}
