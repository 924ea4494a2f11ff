package org.diffeo4j.train;

import org.diffeo4j.augment.Augmentation;

import java.util.Locale;

/**
 * How to train: {@code trainSize} images (the first ones, or a seeded random subset), {@code epochs}
 * passes in batches of {@code batch} in an order drawn from {@code seed}, with Adam (Kingma and Ba
 * 2015; beta 0.9, 0.999, eps 1e-8) or SGD with momentum 0.9, at learning rate {@code lr}.
 */
public record TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed,
                        Augmentation augment) {
    /** Without augmentation. */
    public TrainSpec(Arch arch, int trainSize, boolean randomSubset, int epochs, int batch, String optimizer, double lr, long seed) {
        this(arch, trainSize, randomSubset, epochs, batch, optimizer, lr, seed, Augmentation.NONE);
    }

    /** @param augment null or {@link Augmentation#NONE}: none */
    public TrainSpec {
        augment = augment == null ? Augmentation.NONE : augment;
        if (arch == null) {
            throw new IllegalArgumentException("arch must be given, found none");
        }
        if (trainSize < 1) {
            throw new IllegalArgumentException("train-size must be >= 1, found " + trainSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        }
        optimizer = optimizer == null ? "" : optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, found '" + optimizer + "'");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be a finite number > 0, found " + lr);
        }
    }

    /** Everything that changes the trained weights, for resume checks. */
    public String key() {
        String k = String.join("|", arch.id(), "P " + trainSize, randomSubset ? "random" : "first", "batch " + batch, optimizer, "lr " + lr, "seed " + seed);
        // a diffeo alone formats as before shifts and flips existed: old checkpoints still resume
        return augment.isNone() ? k : k + "|augment " + augment.format();
    }
}
