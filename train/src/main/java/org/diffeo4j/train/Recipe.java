package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.Normalisation;

import java.util.Arrays;

/**
 * How a run trains beyond the optimiser's name, rate, batch and epochs ({@link TrainSpec}): the
 * authors' recipe (issue 20, docs/recipe.md) is a value of this record, {@link PaperRecipe}.
 *
 * @param momentum    SGD's momentum, >= 0 (PyTorch's form; Adam ignores it)
 * @param weightDecay L2 coefficient on arrays of two or more dimensions only, >= 0
 * @param schedule    the rate per epoch
 * @param stopAtLoss  stop after an epoch whose mean training loss is <= this (0: the authors' "exactly
 *                    0"); NaN: never
 * @param minSteps    at least this many optimisation steps: the run's epochs are raised to reach them
 * @param select      the checkpoint measured
 * @param validation  images of the training file held out for {@link Select#BEST_VALIDATION}, disjoint
 *                    from the P training images and drawn from the seed; 0: none
 * @param normalise   applied to every image the net sees (after augmentation, as torchvision's
 *                    Normalize comes last); null: none
 */
public record Recipe(double momentum, double weightDecay, Schedule schedule, double stopAtLoss, long minSteps, Select select, int validation,
                     Normalisation normalise) {
    /** What `diffeo train` did before recipes: SGD momentum 0.9, no decay, constant rate, the last epoch. */
    public static final Recipe DEFAULT = new Recipe(0.9, 0, Schedule.CONSTANT, Double.NaN, 0, Select.LAST, 0, null);

    public Recipe {
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw new BadInputException("momentum must be a finite number >= 0, found " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new BadInputException("weight-decay must be a finite number >= 0, found " + weightDecay);
        }
        if (schedule == null) {
            schedule = Schedule.CONSTANT;
        }
        if (!Double.isNaN(stopAtLoss) && !(stopAtLoss >= 0 && !Double.isInfinite(stopAtLoss))) {
            throw new BadInputException("stop-at-loss must be a finite number >= 0, found " + stopAtLoss);
        }
        if (minSteps < 0) {
            throw new BadInputException("min-steps must be >= 0, found " + minSteps);
        }
        if (select == null) {
            select = Select.LAST;
        }
        if (validation < 0) {
            throw new BadInputException("validation must be >= 0, found " + validation);
        }
        if (select == Select.BEST_VALIDATION && validation == 0) {
            throw new BadInputException("validation must be >= 1 with select best-validation (the held-out images it selects on), found 0");
        }
    }

    public boolean stops() {
        return !Double.isNaN(stopAtLoss);
    }

    public Recipe withMomentum(double v) {
        return new Recipe(v, weightDecay, schedule, stopAtLoss, minSteps, select, validation, normalise);
    }

    public Recipe withWeightDecay(double v) {
        return new Recipe(momentum, v, schedule, stopAtLoss, minSteps, select, validation, normalise);
    }

    public Recipe withSchedule(Schedule v) {
        return new Recipe(momentum, weightDecay, v, stopAtLoss, minSteps, select, validation, normalise);
    }

    public Recipe withStopAtLoss(double v) {
        return new Recipe(momentum, weightDecay, schedule, v, minSteps, select, validation, normalise);
    }

    public Recipe withMinSteps(long v) {
        return new Recipe(momentum, weightDecay, schedule, stopAtLoss, v, select, validation, normalise);
    }

    /** With a checkpoint selection and the held-out images it needs (0 when none). */
    public Recipe withSelect(Select v, int validationImages) {
        return new Recipe(momentum, weightDecay, schedule, stopAtLoss, minSteps, v, validationImages, normalise);
    }

    public Recipe withNormalise(Normalisation v) {
        return new Recipe(momentum, weightDecay, schedule, stopAtLoss, minSteps, select, validation, v);
    }

    /** "none" or "MEAN/STD" with comma lists, e.g. "0.5/0.5". */
    public String normaliseText() {
        return normalise == null ? "none" : join(normalise.mean()) + "/" + join(normalise.std());
    }

    /** Parses {@link #normaliseText}'s form; one-line errors naming {@code option}. */
    public static Normalisation parseNormalise(String option, String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("none")) {
            return null;
        }
        String[] parts = t.split("/");
        try {
            if (parts.length == 2) {
                return new Normalisation(doubles(parts[0]), doubles(parts[1]));
            }
        } catch (IllegalArgumentException e) {
            // reported below with the option's name
        }
        throw new BadInputException(option + " must be none or MEAN/STD with comma lists of numbers, STD > 0 (e.g. 0.5/0.5 or "
                + "0.4914,0.4822,0.4465/0.2023,0.1994,0.2010), found '" + text + "'");
    }

    private static double[] doubles(String list) {
        return Arrays.stream(list.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ",").append(x);
        }
        return b.toString();
    }
}
