package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.model.Options;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Probes;
import org.diffeo4j.report.Files2;
import org.diffeo4j.run.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run in a folder: {@code init/} (the net as initialised, batch-norm on batch
 * statistics), {@code model/} (the net after the last finished epoch), {@code checkpoint.bin}
 * (weights and optimiser state) and {@code train.json} (its fields: docs/study.md). A rerun
 * with the same {@link TrainSpec} resumes after the last finished epoch; a different spec in the
 * same folder is refused.
 */
public final class TrainRun {
    /**
     * Where the data came from, for train.json's provenance; {@code recipe} the preset's name ("paper") or null;
     * the SHA-256 of the training and test files (or folders), or null when not computed.
     */
    public record Sources(String train, String test, String recipe, String trainSha256, String testSha256) {
        public Sources(String train, String test, String recipe) {
            this(train, test, recipe, null, null);
        }

        public Sources(String train, String test) {
            this(train, test, null);
        }
    }

    /**
     * How well the measured checkpoint fits, in inference mode (issue 20, item 5): its training loss and
     * error on the P training images (unaugmented), its test error, and whether to trust it: a net
     * whose training error exceeds {@link #MAX_TRAIN_ERROR}, or that predicts one class for at least
     * {@link #MAX_TOP_CLASS_SHARE} of the test images, is not converged ({@code why} says which).
     */
    public record Fit(double trainLoss, double trainError, double testError, double topClassShare, int epochsRun, Select selected,
                      int selectedEpoch, boolean converged, String why, String stopped) {
        /** A net that has fitted its training set misclassifies at most 1% of it (the authors train to zero loss). */
        public static final double MAX_TRAIN_ERROR = 0.01;
        /** Balanced 10-class test sets: a net predicting one class for half of them has collapsed. */
        public static final double MAX_TOP_CLASS_SHARE = 0.5;

        static Fit of(NetTrainer.Evaluation train, NetTrainer.Evaluation test, List<NetTrainer.EpochLog> logs, TrainSpec spec) {
            List<String> why = new ArrayList<>();
            if (train.error() > MAX_TRAIN_ERROR) {
                why.add(String.format(java.util.Locale.ROOT, "training error %.4f > %.2f", train.error(), MAX_TRAIN_ERROR));
            }
            if (test.topClassShare() >= MAX_TOP_CLASS_SHARE) {
                why.add(String.format(java.util.Locale.ROOT, "predicts one class on %.0f%% of the test images", 100 * test.topClassShare()));
            }
            String stopped = NetTrainer.stoppedAtLoss(spec, logs) ? "loss <= " + spec.recipe().stopAtLoss() + " after epoch " + logs.size()
                    : "planned epochs (" + spec.plannedEpochs() + ")";
            return new Fit(train.loss(), train.error(), test.error(), test.topClassShare(), logs.size(), spec.recipe().select(),
                    NetTrainer.selectedEpoch(logs, spec.recipe().select()), why.isEmpty(), String.join("; ", why), stopped);
        }
    }

    /** The finished run: its record and where the trained (selected) model is; {@code depth} -1 when unknown (a TorchScript module). */
    public record Result(TrainSpec spec, long parameters, int depth, List<NetTrainer.EpochLog> epochs, double testError,
                         double imagesPerSecond, Path model, Path init, int resumedEpochs, Fit fit) {
    }

    private TrainRun() {
    }

    /** The first P training images, or P drawn at random from {@code spec.seed()}. */
    public static LabeledImages subset(LabeledImages all, TrainSpec spec) {
        requireLabels(all);
        int total = all.images().count(), v = spec.recipe().validation();
        if (spec.trainSize() > total) {
            throw new BadInputException("train-size must be <= " + total + " (the images in " + all.source()
                    + "), found " + spec.trainSize());
        }
        if (spec.trainSize() + v > total) {
            throw new BadInputException("validation must be <= " + (total - spec.trainSize()) + " (the images of " + all.source()
                    + " left after the " + spec.trainSize() + " training images), found " + v);
        }
        return spec.randomSubset() ? Probes.random(all, spec.trainSize(), spec.seed()) : Probes.first(all, spec.trainSize());
    }

    /**
     * The {@link Recipe#validation} held-out images: with a random subset, the next entries of the same
     * seeded shuffle (disjoint from the P images); with the first P, a seeded draw from the images after
     * them. Null when none.
     */
    public static LabeledImages validation(LabeledImages all, TrainSpec spec) {
        int v = spec.recipe().validation(), p = spec.trainSize(), total = all.images().count();
        if (v == 0) {
            return null;
        }
        subset(all, spec); // the same checks
        int[] idx;
        if (spec.randomSubset()) {
            idx = java.util.Arrays.copyOfRange(Probes.randomIndices(total, p + v, spec.seed()), p, p + v);
        } else {
            idx = Probes.randomIndices(total - p, v, spec.seed());
            for (int k = 0; k < v; k++) {
                idx[k] += p;
            }
        }
        return all.select(idx);
    }

    private static void requireLabels(LabeledImages all) {
        if (all.labels() == null) {
            throw new BadInputException("data must have labels (the matching -labels-idx1-ubyte file, class sub-folders or CIFAR batches), found none for "
                    + all.source());
        }
    }

    /**
     * Trains (or resumes) into {@code dir} on the threads libtorch runs with now. {@code train} is the
     * whole training set; neither set is modified.
     */
    public static Result run(TrainSpec spec, LabeledImages train, LabeledImages test, Sources sources, Path dir,
                             NetTrainer.Listener listener) throws IOException {
        return run(spec, train, test, sources, dir, listener, 0);
    }

    /** {@link #run(TrainSpec, LabeledImages, LabeledImages, Sources, Path, NetTrainer.Listener, int, Options)} on the threads libtorch runs with now. */
    public static Result run(TrainSpec spec, LabeledImages train, LabeledImages test, Sources sources, Path dir,
                             NetTrainer.Listener listener, int measureEvery) throws IOException {
        return run(spec, train, test, sources, dir, listener, measureEvery, Options.threads(TorchRuntime.threads()));
    }

    /** The probes and protocol of R_f during training: the first 500 test images (at most), c = 3, delta = 1, bilinear, median, one realisation. */
    public static final int DURING_PROBES = 500;

    /**
     * As above, measuring D_f, G_f and R_f (c = 3, delta = 1, the first {@link #DURING_PROBES} test images,
     * the run's seed) after every {@code measureEvery} epochs (0: never), into the epoch's record — so a
     * resumed run has them too. Measuring does not change the weights, so it is not part of the run's key.
     * libtorch, the augmentation and the measurement run on {@code options.threads()} threads (the
     * count is not part of the key either, though libtorch's reductions depend on it).
     */
    public static Result run(TrainSpec spec, LabeledImages train, LabeledImages test, Sources sources, Path dir,
                             NetTrainer.Listener listener, int measureEvery, Options options) throws IOException {
        if (measureEvery < 0) {
            throw new BadInputException("measure-every must be >= 0, found " + measureEvery);
        }
        if (measureEvery == 0) {
            return train(spec, train, test, sources, dir, listener, null, 0, options);
        }
        try (org.diffeo4j.backend.DiffeoBackend backend = org.diffeo4j.backend.Backends.open("auto", options.threads(), s -> { })) {
            Normalisation norm = spec.recipe().normalise();
            ImageBatch probes = Probes.first(test, Math.min(DURING_PROBES, test.images().count())).images();
            ImageBatch px = norm == null ? probes : norm.apply(probes);
            org.diffeo4j.stability.StabilitySpec protocol = new org.diffeo4j.stability.StabilitySpec(List.of(3), List.of(1.0), List.of(),
                    org.diffeo4j.interp.Interpolation.BILINEAR, org.diffeo4j.stability.Average.MEDIAN, 1, spec.seed(), List.of());
            NetTrainer.Probe probe = net -> {
                try (DjlModel m = DjlModel.borrowing(net, "during training")) {
                    org.diffeo4j.stability.LayerResult o = new org.diffeo4j.stability.StabilityMeasurement(m, backend).run(px, protocol, (d, n) -> { })
                            .get(0).output();
                    return new double[]{o.d().logmean(), o.g().logmean(), o.r().logmean()};
                }
            };
            return train(spec, train, test, sources, dir, listener, probe, measureEvery, options);
        }
    }

    private static Result train(TrainSpec spec, LabeledImages train, LabeledImages test, Sources sources, Path dir,
                                NetTrainer.Listener listener, NetTrainer.Probe probe, int measureEvery, Options options) throws IOException {
        if (test.labels() == null) {
            throw new BadInputException("test data must have labels, found none for " + test.source());
        }
        LabeledImages p = subset(train, spec), held = validation(train, spec);
        Normalisation norm = spec.recipe().normalise();
        LabeledImages testN = normalised(test, norm), heldN = held == null ? null : normalised(held, norm), pN = normalised(p, norm);
        int[] chw = {p.images().channels(), p.images().height(), p.images().width()};
        int classes = Math.max(max(p.labels()), max(test.labels())) + 1;
        Files2.createDirectories(dir);
        Path record = dir.resolve("train.json"), checkpoint = dir.resolve("checkpoint.bin");
        List<NetTrainer.EpochLog> done = NetTrainer.finishedEpochs(checkpoint, spec.key());
        if (done.size() > spec.plannedEpochs() && spec.recipe().schedule().constant()) {
            throw new BadInputException("epochs must be >= " + done.size() + " (the epochs already trained in " + dir + "), found " + spec.epochs());
        }
        int resumed = done.size();
        String started = Instant.now().toString();
        TorchRuntime.engine(options); // after the checks: bad input never starts libtorch
        try (Net net = build(spec, chw, classes, checkpoint, done.size())) {
            if (!Files.isRegularFile(dir.resolve("init").resolve(ModelDir.DESCRIPTOR))) {
                if (spec.module() != null) {
                    ModelDir.writeModule(dir.resolve("init"), spec.module().path(), net, 0, norm);
                } else {
                    ModelDir.write(dir.resolve("init"), net, spec.seed(), 0, true, norm);
                }
            }
            List<NetTrainer.EpochLog> logs;
            if (NetTrainer.finished(spec, done)) {
                logs = done;
            } else {
                logs = NetTrainer.train(net, spec, p, new NetTrainer.Sets(testN, heldN, probe, measureEvery), checkpoint, done, listener, (n, log) -> {
                    // model/ (the selected checkpoint so far) first, then the record: a kill in between leaves a record one epoch behind, which is redone.
                    writeSelected(dir, n, spec, log.epoch(), checkpoint);
                    done.add(log);
                    Files2.writeString(record, json(spec, n, done, sources, started, p.images().count(), null));
                });
            }
            // Finished (now or before; a kill may have come between the checkpoint and model/ or the record: redo those).
            int selected = NetTrainer.selectedEpoch(logs, spec.recipe().select());
            Path model = dir.resolve("model");
            if (!Files.isRegularFile(model.resolve(ModelDir.DESCRIPTOR)) || ModelDir.epochsOf(model) != selected) {
                if (spec.module() == null) {
                    NetTrainer.restore(checkpoint, net); // a module net was loaded from its last checkpoint already
                }
                writeSelected(dir, net, spec, logs.size(), checkpoint);
            }
            Fit fit;
            try (Net chosen = loadSelected(dir, spec, chw, classes)) {
                fit = Fit.of(NetTrainer.evaluate(chosen, pN), NetTrainer.evaluate(chosen, testN), logs, spec);
            }
            Files2.writeString(record, json(spec, net, logs, sources, started, p.images().count(), fit));
            return result(spec, net, logs, dir, resumed, fit);
        }
    }

    /** The net to train: built and seeded, or the module file — or, resuming a module, its state after the last finished epoch. */
    private static Net build(TrainSpec spec, int[] chw, int classes, Path checkpoint, int done) {
        if (spec.module() == null) {
            return Architectures.build(spec.arch(), chw, classes, spec.seed());
        }
        Path from = done > 0 ? NetTrainer.moduleCheckpoint(checkpoint, done) : spec.module().path();
        return TorchModule.load(from, chw, classes, "arch");
    }

    /** The selected checkpoint as written to model/. */
    private static Net loadSelected(Path dir, TrainSpec spec, int[] chw, int classes) throws IOException {
        Path model = dir.resolve("model");
        return spec.module() != null ? TorchModule.load(model.resolve(ModelDir.MODULE_FILE), chw, classes, "arch") : ModelDir.read(model).load(model);
    }

    /** Writes model/ as the selected checkpoint after {@code epochsRun} epochs: the last weights (in {@code net}) or the best kept so far. */
    private static void writeSelected(Path dir, Net net, TrainSpec spec, int epochsRun, Path checkpoint) throws IOException {
        List<NetTrainer.EpochLog> logs = NetTrainer.finishedEpochs(checkpoint, spec.key());
        int selected = NetTrainer.selectedEpoch(logs.subList(0, Math.min(epochsRun, logs.size())), spec.recipe().select());
        if (spec.module() != null) {
            Path from = selected == epochsRun ? NetTrainer.moduleCheckpoint(checkpoint, epochsRun) : NetTrainer.bestModule(checkpoint);
            ModelDir.writeModule(dir.resolve("model"), from, net, selected, spec.recipe().normalise());
            return;
        }
        if (selected == epochsRun) {
            ModelDir.write(dir.resolve("model"), net, spec.seed(), selected, false, spec.recipe().normalise());
            return;
        }
        try (Net best = Architectures.build(spec.arch(), net.input(), net.classes(), spec.seed())) {
            Weights.read(NetTrainer.bestCheckpoint(checkpoint), best);
            ModelDir.write(dir.resolve("model"), best, spec.seed(), selected, false, spec.recipe().normalise());
        }
    }

    private static LabeledImages normalised(LabeledImages set, Normalisation norm) {
        return norm == null ? set : new LabeledImages(norm.apply(set.images()), set.labels(), set.source());
    }

    private static Result result(TrainSpec spec, Net net, List<NetTrainer.EpochLog> logs, Path dir, int resumed, Fit fit) {
        double ips = logs.stream().mapToDouble(NetTrainer.EpochLog::imagesPerSecond).average().orElse(0);
        // a module's folders hold model.pt, which the TorchScript adapter measures (hidden layers included)
        Path model = dir.resolve("model"), init = dir.resolve("init");
        if (spec.module() != null) {
            model = model.resolve(ModelDir.MODULE_FILE);
            init = init.resolve(ModelDir.MODULE_FILE);
        }
        return new Result(spec, net.parameterCount(), net.depth(), List.copyOf(logs), fit.testError(), ips, model, init, resumed, fit);
    }

    /** A JSON number, or null for NaN (strict JSON: no NaN or Infinity in any file). */
    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    static String json(TrainSpec spec, Net net, List<NetTrainer.EpochLog> logs, Sources sources, String started, int images, Fit fit) {
        JsonObject o = new JsonObject();
        Recipe r = spec.recipe();
        o.addProperty("key", spec.key());
        o.addProperty("arch", spec.archId());
        if (spec.module() != null) {
            o.addProperty("module", spec.module().path().toString());
            o.addProperty("module_sha256", spec.module().sha256());
        }
        o.addProperty("parameters", net.parameterCount());
        if (net.depth() >= 0) { // left out for a TorchScript module: unknown, never a made-up 0
            o.addProperty("depth", net.depth());
        }
        o.addProperty("train_size", spec.trainSize());
        o.addProperty("subset", spec.randomSubset() ? "random" : "first");
        o.addProperty("seed", spec.seed());
        JsonObject h = new JsonObject();
        if (sources.recipe() != null) {
            h.addProperty("recipe", sources.recipe());
        }
        h.addProperty("epochs", spec.epochs());
        h.addProperty("planned_epochs", spec.plannedEpochs());
        h.addProperty("min_steps", r.minSteps());
        number(h, "stop_at_loss", r.stopAtLoss());
        h.addProperty("batch", spec.batch());
        h.addProperty("optimizer", spec.optimizer());
        h.addProperty("lr", spec.lr());
        h.addProperty("momentum", spec.optimizer().equals("sgd") ? r.momentum() : 0);
        if (spec.optimizer().equals("adam")) {
            h.addProperty("adam_betas", "0.9,0.999");
            h.addProperty("adam_eps", 1e-8);
        }
        h.addProperty("weight_decay", r.weightDecay());
        h.addProperty("weight_decay_on", "parameters of two or more dimensions");
        h.addProperty("schedule", r.schedule().format());
        h.addProperty("select", r.select().id());
        h.addProperty("validation", r.validation());
        h.addProperty("normalise", r.normaliseText());
        h.addProperty("augment", spec.augment().format());
        o.add("hyper_parameters", h);
        JsonArray ep = new JsonArray();
        for (NetTrainer.EpochLog l : logs) {
            JsonObject j = new JsonObject();
            j.addProperty("epoch", l.epoch());
            number(j, "lr", l.lr());
            number(j, "loss", l.loss());
            number(j, "test_error", l.testError());
            if (r.validation() > 0) {
                number(j, "validation_error", l.validationError());
            }
            if (l.dgr() != null) {
                JsonObject m = new JsonObject();
                number(m, "D", l.dgr()[0]);
                number(m, "G", l.dgr()[1]);
                number(m, "R", l.dgr()[2]);
                j.add("stability", m);
            }
            j.addProperty("images_per_second", l.imagesPerSecond());
            j.addProperty("seconds", l.seconds());
            j.addProperty("augment_seconds", l.augmentSeconds());
            ep.add(j);
        }
        o.add("epochs", ep);
        o.addProperty("epochs_run", logs.size());
        int selected = NetTrainer.selectedEpoch(logs, r.select());
        o.addProperty("selected", r.select().id());
        o.addProperty("selected_epoch", selected);
        if (r.select() == Select.BEST_TEST) {
            o.addProperty("selection_note", "checkpoint chosen on the test set (the authors' choice): its test error is optimistic");
        }
        number(o, "test_error", fit != null ? fit.testError() : selected == 0 ? Double.NaN : logs.get(selected - 1).testError());
        if (fit != null) {
            JsonObject f = new JsonObject();
            f.addProperty("train_loss", fit.trainLoss());
            f.addProperty("train_error", fit.trainError());
            f.addProperty("test_error", fit.testError());
            f.addProperty("top_class_share", fit.topClassShare());
            f.addProperty("converged", fit.converged());
            if (!fit.converged()) {
                f.addProperty("why", fit.why());
            }
            f.addProperty("stopped", fit.stopped());
            o.add("fit", f);
        }
        o.addProperty("images_per_second", logs.stream().mapToDouble(NetTrainer.EpochLog::imagesPerSecond).average().orElse(0));
        Provenance p = Provenance.start("train", Instant.parse(started)).engine(TorchRuntime.describe()).threads(TorchRuntime.threads())
                .seed(spec.seed()).input("train", sources.train(), sources.trainSha256(), null).input("test", sources.test(), sources.testSha256(), null)
                .detail("train_images", images).finish();
        JsonElement prov = new com.google.gson.GsonBuilder().serializeNulls().create().toJsonTree(p.json());
        o.add("provenance", prov);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

}
