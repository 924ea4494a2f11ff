package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.data.Normalisation;

import java.util.Locale;

/**
 * The training options as a user gives them — on the command line ({@code diffeo train}) or in a
 * study's {@code training} object — each null when not given. {@link #resolve} fills the gaps from the
 * named recipe ({@link PaperRecipe} for {@code "paper"}, per architecture and data set) or, without
 * one, from the defaults of runs before recipes; a single option always overrides the recipe.
 *
 * @param recipe "paper" or null (none)
 * @param normalise "none" or MEAN/STD ({@link Recipe#parseNormalise})
 * @param select last, best-validation or best-test
 * @param augment an {@link Augmentation} spec; with a recipe, it replaces the recipe's
 * @param randomSubset each seed draws its own P images (false: the first P)
 */
public record TrainOptions(String recipe, Integer epochs, Integer batch, String optimizer, Double lr, Double momentum, Double weightDecay,
                           String schedule, Double stopAtLoss, Long minSteps, String select, Integer validation, String normalise,
                           String augment, Boolean randomSubset) {
    /** Nothing given. */
    public static final TrainOptions NONE = new TrainOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** The recipe names {@link #resolve} knows. */
    public static final java.util.List<String> RECIPES = java.util.List.of("paper", "none");

    public TrainOptions {
        if (recipe != null) {
            recipe = recipe.toLowerCase(Locale.ROOT);
            if (!RECIPES.contains(recipe)) {
                throw new BadInputException("recipe must be one of " + RECIPES + ", found '" + recipe + "'");
            }
            if (recipe.equals("none")) {
                recipe = null;
            }
        }
    }

    /** These options with every option not given here taken from {@code base}: a study's per-architecture overrides. */
    public TrainOptions over(TrainOptions base) {
        return new TrainOptions(recipe != null ? recipe : base.recipe, epochs != null ? epochs : base.epochs, batch != null ? batch : base.batch,
                optimizer != null ? optimizer : base.optimizer, lr != null ? lr : base.lr, momentum != null ? momentum : base.momentum,
                weightDecay != null ? weightDecay : base.weightDecay, schedule != null ? schedule : base.schedule,
                stopAtLoss != null ? stopAtLoss : base.stopAtLoss, minSteps != null ? minSteps : base.minSteps, select != null ? select : base.select,
                validation != null ? validation : base.validation, normalise != null ? normalise : base.normalise,
                augment != null ? augment : base.augment, randomSubset != null ? randomSubset : base.randomSubset);
    }

    /**
     * The full specification of one run: {@code arch} on {@code trainSize} images of a data set of kind
     * {@code data} with {@code seed}. {@code extraAugment} (a study's augmentation axis; NONE: none)
     * replaces the recipe's augmentation when not none. Errors name the option as {@code prefix + name}
     * ("--" on the command line, "training." in a study).
     */
    public TrainSpec resolve(Arch arch, int trainSize, long seed, PaperRecipe.Data data, Augmentation extraAugment, String prefix) {
        return resolve(arch, null, trainSize, seed, data, extraAugment, prefix);
    }

    /** As above, for a built-in {@code arch} or a TorchScript {@code module} (the other null), trained with the conv nets' recipe. */
    public TrainSpec resolve(Arch arch, TrainSpec.ModuleFile module, int trainSize, long seed, PaperRecipe.Data data, Augmentation extraAugment,
                             String prefix) {
        PaperRecipe.Settings base = recipe == null ? PaperRecipe.Settings.LEGACY : PaperRecipe.of(arch, data);
        Augmentation aug;
        try {
            aug = augment != null ? Augmentation.parse(augment) : base.augment();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new BadInputException(named(prefix, m.startsWith("augment ") ? m : "augment " + m), e);
        }
        if (extraAugment != null && !extraAugment.isNone()) {
            aug = extraAugment;
        }
        Recipe r = base.recipe();
        try {
            if (momentum != null) {
                r = r.withMomentum(momentum);
            }
            if (weightDecay != null) {
                r = r.withWeightDecay(weightDecay);
            }
            if (schedule != null) {
                r = r.withSchedule(Schedule.parse(schedule));
            }
            if (stopAtLoss != null) {
                r = r.withStopAtLoss(stopAtLoss);
            }
            if (minSteps != null) {
                r = r.withMinSteps(minSteps);
            }
            if (normalise != null) {
                Normalisation n = Recipe.parseNormalise("normalise", normalise);
                r = r.withNormalise(n);
            }
            if (select != null || validation != null) {
                r = r.withSelect(select != null ? Select.parse(select) : r.select(), validation != null ? validation : r.validation());
            }
            return new TrainSpec(arch, trainSize, randomSubset != null ? randomSubset : base.randomSubset(), epochs != null ? epochs : base.epochs(),
                    batch != null ? batch : base.batch(), optimizer != null ? optimizer : base.optimizer(), lr != null ? lr : base.lr(), seed, aug, r,
                    module);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(named(prefix, e.getMessage()), e);
        }
    }

    /** The message with its leading option name in the form of {@code prefix}: a study's keys use underscores. */
    static String named(String prefix, String message) {
        if (prefix.startsWith("--")) {
            return prefix + message;
        }
        int space = message.indexOf(' ');
        return space < 0 ? prefix + message : prefix + message.substring(0, space).replace('-', '_') + message.substring(space);
    }
}
