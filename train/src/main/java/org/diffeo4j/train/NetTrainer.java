package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Normalisation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link Net} by minibatch cross-entropy. Epoch e visits the training images in the order
 * of a Fisher-Yates shuffle seeded by (seed, e), so a run resumed from the checkpoint after epoch e
 * sees exactly the batches an uninterrupted run sees. After each epoch the weights and optimiser
 * state go to the checkpoint file (atomically) and the listener is told.
 *
 * <p>With augmentation, the next {@link #CHUNK_IMAGES} images are assembled and augmented in one call
 * on a worker thread while libtorch trains on the current ones (docs/BENCHMARKS.md). An image's
 * augmentation is a pure function of (seed, epoch, its index and pixels), so the weights are
 * bit-identical to those of augmenting batch by batch in order (tested).
 */
public final class NetTrainer {
    /** Told after every batch. */
    public interface Listener {
        void batch(int epoch, long imagesDone, long imagesTotal, double loss, double imagesPerSecond);
    }

    /** Told after every epoch, once the checkpoint is written. */
    public interface EpochListener {
        void epoch(Net net, EpochLog log) throws IOException;
    }

    /**
     * One finished epoch: mean training loss, test error on the whole test set, training speed, the
     * error on the held-out validation images (NaN without any) and the epoch's learning rate.
     */
    public record EpochLog(int epoch, double loss, double testError, double imagesPerSecond, double seconds, double augmentSeconds,
                           double validationError, double lr, double[] dgr) {
        /** Without augmentation. */
        public EpochLog(int epoch, double loss, double testError, double imagesPerSecond, double seconds) {
            this(epoch, loss, testError, imagesPerSecond, seconds, 0, Double.NaN, Double.NaN, null);
        }

        /** {@code dgr}: D_f, G_f, R_f measured after this epoch (--measure-every), or null. */
        public EpochLog {
            dgr = dgr == null ? null : dgr.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EpochLog l && epoch == l.epoch && Double.compare(loss, l.loss) == 0 && Double.compare(testError, l.testError) == 0
                    && Double.compare(imagesPerSecond, l.imagesPerSecond) == 0 && Double.compare(seconds, l.seconds) == 0
                    && Double.compare(augmentSeconds, l.augmentSeconds) == 0 && Double.compare(validationError, l.validationError) == 0
                    && Double.compare(lr, l.lr) == 0 && java.util.Arrays.equals(dgr, l.dgr);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(epoch, loss, testError, validationError, lr, java.util.Arrays.hashCode(dgr));
        }

        /** The error the checkpoint selection compares (NaN for {@link Select#LAST}). */
        double selectionError(Select s) {
            return switch (s) {
                case LAST -> Double.NaN;
                case BEST_TEST -> testError;
                case BEST_VALIDATION -> validationError;
            };
        }
    }

    /**
     * The test images, the held-out images of {@link Recipe#validation} (both normalised as the net sees
     * them; validation null without any), and what measures the net after every {@code every} epochs
     * (null: never).
     */
    public record Sets(LabeledImages test, LabeledImages validation, Probe probe, int every) {
        public Sets(LabeledImages test, LabeledImages validation) {
            this(test, validation, null, 0);
        }
    }

    /** D_f, G_f and R_f of the net as it is (inference mode), for R_f during training (issue 20, item 8). */
    @FunctionalInterface
    public interface Probe {
        double[] measure(Net net);
    }

    /**
     * The epoch the selection picks among {@code logs}: the last one, or the first of the lowest
     * selection error (the authors keep the first epoch of the best test accuracy: strictly better
     * replaces).
     */
    public static int selectedEpoch(List<EpochLog> logs, Select s) {
        if (logs.isEmpty()) {
            return 0;
        }
        if (s == Select.LAST) {
            return logs.get(logs.size() - 1).epoch();
        }
        EpochLog best = logs.get(0);
        for (EpochLog l : logs) {
            if (l.selectionError(s) < best.selectionError(s)) {
                best = l;
            }
        }
        return best.epoch();
    }

    /** Whether the run is over after {@code logs}: the planned epochs are done or the last loss reached the stop. */
    public static boolean finished(TrainSpec spec, List<EpochLog> logs) {
        return logs.size() >= spec.plannedEpochs() || (!logs.isEmpty() && stoppedAtLoss(spec, logs));
    }

    /**
     * Whether the last epoch's mean training loss reached the recipe's stop-at-loss, once the minimum of
     * steps is done: --min-steps holds whatever the loss, since a net whose training loss reached 0 in a
     * few dozen steps still has batch-norm running statistics that lag it (issue 20: eval-mode training
     * error 0.17 at loss <= 1e-3 after 34 steps of the reduced resnet at P = 256).
     */
    public static boolean stoppedAtLoss(TrainSpec spec, List<EpochLog> logs) {
        return spec.recipe().stops() && !logs.isEmpty() && logs.get(logs.size() - 1).loss() <= spec.recipe().stopAtLoss()
                && (long) logs.size() * spec.stepsPerEpoch() >= spec.recipe().minSteps();
    }

    /** A TorchScript module's whole state after {@code epoch} beside {@code checkpoint} (its buffers are not in the weights). */
    public static Path moduleCheckpoint(Path checkpoint, int epoch) {
        return checkpoint.resolveSibling("checkpoint-" + epoch + ".pt");
    }

    /** A TorchScript module's selected state beside {@code checkpoint}. */
    public static Path bestModule(Path checkpoint) {
        return checkpoint.resolveSibling("best.pt");
    }

    /** The checkpoint of the selected epoch beside {@code checkpoint}: written when the selection improves. */
    public static Path bestCheckpoint(Path checkpoint) {
        return checkpoint.resolveSibling("best.bin");
    }

    private NetTrainer() {
    }

    /**
     * Trains {@code net} (modified) for the epochs after {@code done.size()} (epochs already in the
     * checkpoint) and returns every epoch's log. {@code train} and {@code test} are not modified.
     */
    public static List<EpochLog> train(Net net, TrainSpec spec, LabeledImages train, Sets sets, Path checkpoint,
                                       List<EpochLog> done, Listener listener, EpochListener after) throws IOException {
        return train(net, spec, train, sets, checkpoint, done, listener, after, true);
    }

    /**
     * {@code overlap}: augment the next images on a worker thread during training (same weights either
     * way). {@code train} holds the raw images (augmented, then normalised per batch); the sets are
     * already normalised.
     */
    static List<EpochLog> train(Net net, TrainSpec spec, LabeledImages train, Sets sets, Path checkpoint,
                                List<EpochLog> done, Listener listener, EpochListener after, boolean overlap) throws IOException {
        LabeledImages test = sets.test();
        Recipe recipe = spec.recipe();
        double[] rates = recipe.schedule().rates(spec.lr(), spec.plannedEpochs());
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> p : net.parameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
                weights.add(p.getValue().getArray());
            }
        }
        Optimizer opt = new Optimizer(spec.optimizer(), spec.lr(), recipe.momentum(), recipe.weightDecay(), weights);
        List<EpochLog> logs = new ArrayList<>(done);
        if (!done.isEmpty()) {
            Weights.Extra extra = Weights.read(checkpoint, net);
            opt.restore(extra.steps(), extra.arrays());
        }
        int n = train.images().count();
        long total = (long) n * spec.plannedEpochs();
        // Beside libtorch's threads the augmentation runs on one thread: thread hand-offs per small batch cost more than they save.
        ExecutorService worker = overlap && spec.augment().drawsAhead() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "augment");
            t.setDaemon(true);
            return t;
        }) : null;
        try (Augmenter aug = !spec.augment().drawsAhead() ? null : new Augmenter(spec.augment(), spec.seed(), worker != null ? 1 : TorchRuntime.threads(),
                worker == null); AutoCloseable stop = () -> stop(worker);
             // after the drawn augmentation, on the weights of the step it feeds: it cannot be prepared ahead
             AdversarialAugmenter adv = spec.augment().adversarial() == null ? null
                     : new AdversarialAugmenter(spec.augment().adversarial(), spec.seed(), net, weights)) {
            for (int epoch = done.size(); !finished(spec, logs); epoch++) {
                opt.rate(rates[epoch]);
                int[] order = order(n, spec.seed(), epoch);
                long t0 = System.nanoTime();
                double lossSum = 0;
                final int e = epoch, per = worker == null ? 1 : Math.max(1, CHUNK_IMAGES / spec.batch()), span = per * spec.batch();
                Future<List<Batch>> next = worker == null ? null : worker.submit(() -> batches(train, net.classes(), order, 0, spec.batch(), per, aug, e, recipe.normalise()));
                List<Batch> chunk = List.of();
                int inChunk = 0;
                for (int from = 0; from < n; from += spec.batch()) {
                    int b = Math.min(spec.batch(), n - from);
                    if (inChunk == chunk.size()) {
                        inChunk = 0;
                        if (worker == null) {
                            chunk = batches(train, net.classes(), order, from, spec.batch(), 1, aug, epoch, recipe.normalise());
                        } else {
                            chunk = get(next);
                            int following = from + span;
                            next = following < n ? worker.submit(() -> batches(train, net.classes(), order, following, spec.batch(), per, aug, e, recipe.normalise())) : null;
                        }
                    }
                    Batch batch = chunk.get(inChunk++);
                    if (adv != null) {
                        ImageBatch all = train.images();
                        batch = new Batch(batch.b(), adv.apply(epoch, batch.images(), batch.labels(), batch.x(), all.channels(), all.height(), all.width()),
                                batch.onehot(), batch.images(), batch.labels());
                    }
                    double loss = step(net, batch, train.images(), opt);
                    if (!Double.isFinite(loss)) {
                        // Stop before anything is written: the checkpoint keeps the last good epoch (issue 21, item 5).
                        throw new IllegalStateException("training loss became non-finite (" + loss + ") in epoch " + (epoch + 1)
                                + " at lr " + rates[epoch] + "; the checkpoint of epoch " + epoch + " is kept (lower --lr)");
                    }
                    lossSum += loss * b;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.batch(epoch, (long) epoch * n + from + b, total, lossSum / (from + b), (from + b) / Math.max(secs, 1e-9));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                // The whole test set each epoch only where the selection reads it (best-test); otherwise after the last epoch
                // alone: at small P, evaluating 10,000 test images every epoch costs more than the training.
                List<EpochLog> ending = new ArrayList<>(logs);
                ending.add(new EpochLog(epoch + 1, lossSum / n, Double.NaN, 0, 0));
                boolean last = finished(spec, ending), evaluate = recipe.select() == Select.BEST_TEST || last;
                EpochLog log = new EpochLog(epoch + 1, lossSum / n, evaluate ? testError(net, test) : Double.NaN, n / secs, secs,
                        (aug == null ? 0 : aug.takeSeconds()) + (adv == null ? 0 : adv.takeSeconds()),
                        sets.validation() == null ? Double.NaN : testError(net, sets.validation()), rates[epoch],
                        // every K epochs, and after the last one (a run stopped at the loss ends between multiples of K)
                        sets.probe() != null && ((epoch + 1) % sets.every() == 0 || last) ? sets.probe().measure(net) : null);
                logs.add(log);
                if (recipe.select() != Select.LAST && selectedEpoch(logs, recipe.select()) == log.epoch()) {
                    // Before the checkpoint: a kill in between redoes this epoch, which writes the same best weights again.
                    if (net.module() != null) {
                        TorchModule.save(net, bestModule(checkpoint));
                    }
                    Weights.write(bestCheckpoint(checkpoint), net, spec.key() + "\nbest epoch " + log.epoch(), 0, List.of());
                }
                if (net.module() != null) {
                    // the module (with its buffers) of this epoch before the checkpoint that names it; the previous one after
                    TorchModule.save(net, moduleCheckpoint(checkpoint, log.epoch()));
                }
                Weights.write(checkpoint, net, encode(spec.key(), logs), opt.steps(), opt.state());
                if (net.module() != null) {
                    Files.deleteIfExists(moduleCheckpoint(checkpoint, log.epoch() - 1));
                }
                after.epoch(net, log);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return logs;
    }

    /** Stops the worker and waits for it, before the augmenter (closed after this) frees its backend. */
    private static void stop(ExecutorService worker) throws InterruptedException {
        if (worker != null) {
            worker.shutdownNow();
            worker.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    /** A batch's inputs (augmented), one-hot targets, and each image's index in the training set and label. */
    private record Batch(int b, float[] x, float[] onehot, long[] images, int[] labels) {
    }

    /**
     * Images augmented per call on the worker: a batch's cost is mostly per distinct cut-off (one
     * synthesis each), not per image, so 64-image batches cost ~3x more per image than 256 (docs/BENCHMARKS.md).
     */
    static final int CHUNK_IMAGES = 256;

    /**
     * The {@code count} batches of {@code batch} images from {@code order[from]} (the last cut at the
     * end of the order), augmented in one call when {@code aug} is given: each image's augmentation
     * depends on (seed, epoch, image) only, so this equals augmenting batch by batch.
     */
    private static List<Batch> batches(LabeledImages data, int classes, int[] order, int from, int batch, int count, Augmenter aug, int epoch,
                                       Normalisation normalise) {
        int m = Math.min(batch * count, order.length - from), size = data.images().sampleSize();
        float[] x = new float[m * size];
        long[] images = new long[m];
        for (int k = 0; k < m; k++) {
            images[k] = order[from + k];
            System.arraycopy(data.images().data(), order[from + k] * size, x, k * size, size);
        }
        ImageBatch all = data.images();
        if (aug != null) {
            aug.apply(epoch, images, x, all.channels(), all.height(), all.width());
        }
        if (normalise != null) {
            // after the augmentation, as torchvision's Normalize comes last in the authors' transforms
            x = normalise.apply(new ImageBatch(m, all.channels(), all.height(), all.width(), x)).data();
        }
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < m; start += batch) {
            int b = Math.min(batch, m - start);
            float[] onehot = new float[b * classes];
            int[] labels = new int[b];
            for (int k = 0; k < b; k++) {
                labels[k] = data.labels()[order[from + start + k]];
                onehot[k * classes + labels[k]] = 1f;
            }
            out.add(new Batch(b, java.util.Arrays.copyOfRange(x, start * size, (start + b) * size), onehot,
                    java.util.Arrays.copyOfRange(images, start, start + b), labels));
        }
        return out;
    }

    private static List<Batch> get(Future<List<Batch>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("augmentation failed: " + e.getCause(), e.getCause());
        }
    }

    /** One batch: forward in training mode, backward, update. Returns the batch's mean loss. */
    private static double step(Net net, Batch batch, ImageBatch all, Optimizer opt) {
        int b = batch.b(), classes = net.classes();
        float[] x = batch.x(), onehot = batch.onehot();
        try (NDManager m = net.manager().newSubManager()) {
            NDArray in = m.create(x, new Shape(b, all.channels(), all.height(), all.width()));
            NDArray target = m.create(onehot, new Shape(b, classes));
            double loss;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = net.forward(in, true);
                // Cross-entropy -mean_k log softmax(z_k)[y_k], the one-hot picking the true class.
                NDArray l = logits.logSoftmax(1).mul(target).sum().div(-b);
                gc.backward(l);
                loss = l.getFloat();
            }
            opt.step();
            return loss;
        }
    }

    /** Fraction of {@code test} misclassified, evaluated in inference mode in chunks of 1000. */
    public static double testError(Net net, LabeledImages test) {
        int[] predicted = predict(net, test.images());
        int wrong = 0;
        for (int i = 0; i < predicted.length; i++) {
            wrong += predicted[i] == test.labels()[i] ? 0 : 1;
        }
        return (double) wrong / predicted.length;
    }

    /**
     * A checkpoint's fit to a labelled set, in inference mode: mean cross-entropy, error, and the share
     * of the most frequent predicted class (near 1 when the net's predictions have collapsed to one class).
     */
    public record Evaluation(double loss, double error, double topClassShare) {
    }

    /** {@link Evaluation} of {@code net} on {@code set} (normalised as the net expects), in chunks of 1000. */
    public static Evaluation evaluate(Net net, LabeledImages set) {
        ImageBatch images = set.images();
        double loss = 0;
        int wrong = 0;
        int[] counts = new int[net.classes()];
        for (int from = 0; from < images.count(); from += 1000) {
            ImageBatch part = images.slice(from, Math.min(1000, images.count() - from));
            try (NDManager m = net.manager().newSubManager()) {
                NDArray logits = net.forward(m.create(part.data(), new Shape(part.count(), part.channels(), part.height(), part.width())), false);
                float[] logp = logits.logSoftmax(1).toFloatArray();
                long[] am = logits.argMax(1).toLongArray();
                for (int k = 0; k < am.length; k++) {
                    int y = set.labels()[from + k];
                    loss -= logp[k * net.classes() + y];
                    wrong += am[k] == y ? 0 : 1;
                    counts[(int) am[k]]++;
                }
            }
        }
        int top = 0;
        for (int c : counts) {
            top = Math.max(top, c);
        }
        int n = images.count();
        return new Evaluation(loss / n, (double) wrong / n, (double) top / n);
    }

    /** The arg-max class of each image. */
    static int[] predict(Net net, ImageBatch images) {
        int[] out = new int[images.count()];
        for (int from = 0; from < images.count(); from += 1000) {
            ImageBatch part = images.slice(from, Math.min(1000, images.count() - from));
            try (NDManager m = net.manager().newSubManager()) {
                NDArray logits = net.forward(m.create(part.data(), new Shape(part.count(), part.channels(), part.height(), part.width())), false);
                long[] am = logits.argMax(1).toLongArray();
                for (int k = 0; k < am.length; k++) {
                    out[from + k] = (int) am[k];
                }
            }
        }
        return out;
    }

    /** The visiting order of epoch {@code epoch}: a Fisher-Yates shuffle seeded by (seed, epoch). */
    static int[] order(int n, long seed, int epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch + 1);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /**
     * The run's key and epoch logs, kept inside the checkpoint so the weights and the record of how
     * they were reached can never disagree (whatever the moment of a kill).
     */
    static String encode(String key, List<EpochLog> logs) {
        StringBuilder b = new StringBuilder(key);
        for (EpochLog l : logs) {
            b.append('\n').append(l.epoch()).append(',').append(l.loss()).append(',').append(l.testError()).append(',')
                    .append(l.imagesPerSecond()).append(',').append(l.seconds()).append(',').append(l.augmentSeconds()).append(',')
                    .append(l.validationError()).append(',').append(l.lr());
            if (l.dgr() != null) {
                b.append(',').append(l.dgr()[0]).append(',').append(l.dgr()[1]).append(',').append(l.dgr()[2]);
            }
        }
        return b.toString();
    }

    /** The epoch logs of a checkpoint written for {@code key}; a one-line error when it is another run's. */
    public static List<EpochLog> finishedEpochs(Path checkpoint, String key) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            return new ArrayList<>();
        }
        String[] lines = Weights.meta(checkpoint).split("\n");
        if (!lines[0].equals(key)) {
            throw new BadInputException("out must be empty or hold a run of the same parameters (" + key + "), found a run of "
                    + lines[0] + " in " + checkpoint.getParent());
        }
        List<EpochLog> logs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            // checkpoints written before augmentation have five fields, before recipes six
            logs.add(new EpochLog(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), f.length > 5 ? Double.parseDouble(f[5]) : 0, f.length > 6 ? Double.parseDouble(f[6]) : Double.NaN,
                    f.length > 7 ? Double.parseDouble(f[7]) : Double.NaN,
                    f.length > 10 ? new double[]{Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10])} : null));
        }
        return logs;
    }

    /** Loads the checkpoint's weights into {@code net} (modified). */
    static void restore(Path checkpoint, Net net) throws IOException {
        Weights.read(checkpoint, net);
    }
}
