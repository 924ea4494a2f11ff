package org.diffeo4j.train;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link Net} by minibatch cross-entropy. Epoch e visits the training images in the order
 * of a Fisher-Yates shuffle seeded by (seed, e), so a run resumed from the checkpoint after epoch e
 * sees exactly the batches an uninterrupted run sees. After each epoch the weights and optimiser
 * state go to the checkpoint file (atomically) and the listener is told.
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

    /** One finished epoch: mean training loss, test error on the whole test set, training speed. */
    public record EpochLog(int epoch, double loss, double testError, double imagesPerSecond, double seconds, double augmentSeconds) {
        /** Without augmentation. */
        public EpochLog(int epoch, double loss, double testError, double imagesPerSecond, double seconds) {
            this(epoch, loss, testError, imagesPerSecond, seconds, 0);
        }
    }

    private NetTrainer() {
    }

    /**
     * Trains {@code net} (modified) for the epochs after {@code done.size()} (epochs already in the
     * checkpoint) and returns every epoch's log. {@code train} and {@code test} are not modified.
     */
    public static List<EpochLog> train(Net net, TrainSpec spec, LabeledImages train, LabeledImages test, Path checkpoint,
                                       List<EpochLog> done, Listener listener, EpochListener after) throws IOException {
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> p : net.parameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
                weights.add(p.getValue().getArray());
            }
        }
        Optimizer opt = new Optimizer(spec.optimizer(), spec.lr(), weights);
        List<EpochLog> logs = new ArrayList<>(done);
        if (!done.isEmpty()) {
            Weights.Extra extra = Weights.read(checkpoint, net);
            opt.restore(extra.steps(), extra.arrays());
        }
        int n = train.images().count();
        long total = (long) n * spec.epochs();
        try (Augmenter aug = spec.augment() == null ? null : new Augmenter(spec.augment(), spec.seed(), TorchRuntime.threads())) {
            for (int epoch = done.size(); epoch < spec.epochs(); epoch++) {
                int[] order = order(n, spec.seed(), epoch);
                long t0 = System.nanoTime();
                double lossSum = 0;
                for (int from = 0; from < n; from += spec.batch()) {
                    int b = Math.min(spec.batch(), n - from);
                    lossSum += step(net, train, order, from, b, opt, aug, epoch) * b;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.batch(epoch, (long) epoch * n + from + b, total, lossSum / (from + b), (from + b) / Math.max(secs, 1e-9));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                EpochLog log = new EpochLog(epoch + 1, lossSum / n, testError(net, test), n / secs, secs, aug == null ? 0 : aug.takeSeconds());
                logs.add(log);
                Weights.write(checkpoint, net, encode(spec.key(), logs), opt.steps(), opt.state());
                after.epoch(net, log);
            }
        }
        return logs;
    }

    /** One batch: forward in training mode, backward, update. Returns the batch's mean loss. */
    private static double step(Net net, LabeledImages data, int[] order, int from, int b, Optimizer opt, Augmenter aug, int epoch) {
        int size = data.images().sampleSize(), classes = net.classes();
        float[] x = new float[b * size], onehot = new float[b * classes];
        for (int k = 0; k < b; k++) {
            int i = order[from + k];
            System.arraycopy(data.images().data(), i * size, x, k * size, size);
            onehot[k * classes + data.labels()[i]] = 1f;
        }
        ImageBatch all = data.images();
        if (aug != null) {
            long[] images = new long[b];
            for (int k = 0; k < b; k++) {
                images[k] = order[from + k];
            }
            aug.apply(epoch, images, x, all.channels(), all.height(), all.width());
        }
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
                    .append(l.imagesPerSecond()).append(',').append(l.seconds()).append(',').append(l.augmentSeconds());
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
            throw new IllegalArgumentException("out must be empty or hold a run of the same parameters (" + key + "), found a run of "
                    + lines[0] + " in " + checkpoint.getParent());
        }
        List<EpochLog> logs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            // checkpoints written before augmentation have five fields
            logs.add(new EpochLog(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), f.length > 5 ? Double.parseDouble(f[5]) : 0));
        }
        return logs;
    }

    /** Loads the checkpoint's weights into {@code net} (modified). */
    static void restore(Path checkpoint, Net net) throws IOException {
        Weights.read(checkpoint, net);
    }
}
