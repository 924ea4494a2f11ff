package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.augment.Augmentation;

import java.util.Locale;

/**
 * How to train: {@code trainSize} images (the first ones, or a seeded random subset), {@code epochs}
 * passes (raised to reach {@link Recipe#minSteps}, cut short by {@link Recipe#stopAtLoss}) in batches of
 * {@code batch} in an order drawn from {@code seed}, with Adam (Kingma and Ba 2015; beta 0.9, 0.999,
 * eps 1e-8) or SGD with momentum, at base learning rate {@code lr} scheduled by the recipe.
 */
public record TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed,
                        Augmentation augment, Recipe recipe, ModuleFile module) {
    /** A TorchScript module to train instead of a built-in architecture (--arch FILE.pt), with its file's hash. */
    public record ModuleFile(java.nio.file.Path path, String sha256) {
        public static ModuleFile of(java.nio.file.Path path) {
            return new ModuleFile(path, TorchModule.sha256(path));
        }

        public String name() {
            return path.getFileName().toString();
        }
    }

    /** A built-in architecture. */
    public TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed,
                     Augmentation augment, Recipe recipe) {
        this(arch, trainSize, randomSubset, epochs, batch, optimizer, lr, seed, augment, recipe, null);
    }
    /** Without augmentation. */
    public TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed) {
        this(arch, trainSize, randomSubset, epochs, batch, optimizer, lr, seed, Augmentation.NONE);
    }

    /** With the recipe of runs before recipes existed ({@link Recipe#DEFAULT}). */
    public TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed,
                     Augmentation augment) {
        this(arch, trainSize, randomSubset, epochs, batch, optimizer, lr, seed, augment, Recipe.DEFAULT);
    }

    /** @param augment null or {@link Augmentation#NONE}: none */
    public TrainSpec {
        augment = augment == null ? Augmentation.NONE : augment;
        recipe = recipe == null ? Recipe.DEFAULT : recipe;
        if ((arch == null) == (module == null)) {
            throw new BadInputException("arch must be one built-in architecture or one TorchScript file, found " + (arch == null ? "none" : "both"));
        }
        if (trainSize < 1) {
            throw new BadInputException("train-size must be >= 1, found " + trainSize);
        }
        if (epochs < 1) {
            throw new BadInputException("epochs must be >= 1, found " + epochs);
        }
        if (batch < 1) {
            throw new BadInputException("batch must be >= 1, found " + batch);
        }
        optimizer = optimizer == null ? "" : optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new BadInputException("optimizer must be adam or sgd, found '" + optimizer + "'");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new BadInputException("lr must be a finite number > 0, found " + lr);
        }
    }

    /** Optimisation steps of one epoch (the last batch may be short). */
    public long stepsPerEpoch() {
        return (trainSize + batch - 1) / batch;
    }

    /** The epochs planned: {@code epochs}, raised to reach the recipe's minimum of steps. The cosine's T_max is a fraction of these. */
    public int plannedEpochs() {
        long forSteps = (recipe.minSteps() + stepsPerEpoch() - 1) / stepsPerEpoch();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(epochs, forSteps));
    }

    /** A copy with another recipe. */
    public TrainSpec with(Recipe r) {
        return new TrainSpec(arch, trainSize, randomSubset, epochs, batch, optimizer, lr, seed, augment, r, module);
    }

    /** The built-in architecture's id, or the module file's name. */
    public String archId() {
        return module != null ? module.name() : arch.id();
    }

    /**
     * Everything that changes the weights of an epoch, for resume checks: a checkpoint of another key is
     * refused. Parts are added only when they differ from {@link Recipe#DEFAULT}, so checkpoints of runs
     * before recipes still resume (SGD's momentum is always written: SGD checkpoints from before PyTorch's
     * momentum form hold a differently scaled buffer and must not resume). The epochs enter only with a
     * schedule, whose rates depend on them; stop-at-loss does not change any epoch's weights.
     */
    public String key() {
        String k = String.join("|", module != null ? "module " + module.name() + " sha256 " + module.sha256() : arch.id(), "P " + trainSize, randomSubset ? "random" : "first", "batch " + batch, optimizer, "lr " + lr, "seed " + seed);
        // a diffeo alone formats as before shifts and flips existed: old checkpoints still resume
        k = augment.isNone() ? k : k + "|augment " + augment.format();
        Recipe r = recipe;
        if (optimizer.equals("sgd")) {
            k += "|momentum " + r.momentum();
        }
        if (r.weightDecay() != 0) {
            k += "|wd " + r.weightDecay();
        }
        if (!r.schedule().constant()) {
            k += "|schedule " + r.schedule().format() + " over " + plannedEpochs();
        }
        if (r.normalise() != null) {
            k += "|normalise " + r.normaliseText();
        }
        if (r.select() != Select.LAST || r.validation() > 0) {
            k += "|select " + r.select().id() + (r.validation() > 0 ? " validation " + r.validation() : "");
        }
        return k;
    }
}
