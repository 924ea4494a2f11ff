package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;
import org.diffeo4j.report.Files2;

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
    /** Where the data came from, for train.json. */
    public record Sources(String train, String test) {
    }

    /** The finished run: its record and where the trained model is. */
    public record Result(TrainSpec spec, long parameters, int depth, List<NetTrainer.EpochLog> epochs, double testError,
                         double imagesPerSecond, Path model, Path init, int resumedEpochs) {
    }

    private TrainRun() {
    }

    /** The first P training images, or P drawn at random from {@code spec.seed()}. */
    public static LabeledImages subset(LabeledImages all, TrainSpec spec) {
        if (all.labels() == null) {
            throw new IllegalArgumentException("data must have labels (the matching -labels-idx1-ubyte file, class sub-folders or CIFAR batches), found none for "
                    + all.source());
        }
        if (spec.trainSize() > all.images().count()) {
            throw new IllegalArgumentException("train-size must be <= " + all.images().count() + " (the images in " + all.source()
                    + "), found " + spec.trainSize());
        }
        return spec.randomSubset() ? Probes.random(all, spec.trainSize(), spec.seed()) : Probes.first(all, spec.trainSize());
    }

    /** Trains (or resumes) into {@code dir}. {@code train} is the whole training set; neither set is modified. */
    public static Result run(TrainSpec spec, LabeledImages train, LabeledImages test, Sources sources, Path dir,
                             NetTrainer.Listener listener) throws IOException {
        if (test.labels() == null) {
            throw new IllegalArgumentException("test data must have labels, found none for " + test.source());
        }
        LabeledImages p = subset(train, spec);
        int[] chw = {p.images().channels(), p.images().height(), p.images().width()};
        int classes = Math.max(max(p.labels()), max(test.labels())) + 1;
        Files.createDirectories(dir);
        Path record = dir.resolve("train.json"), checkpoint = dir.resolve("checkpoint.bin");
        List<NetTrainer.EpochLog> done = NetTrainer.finishedEpochs(checkpoint, spec.key());
        if (done.size() > spec.epochs()) {
            throw new IllegalArgumentException("epochs must be >= " + done.size() + " (the epochs already trained in " + dir + "), found " + spec.epochs());
        }
        int resumed = done.size();
        String started = Instant.now().toString();
        try (Net net = Architectures.build(spec.arch(), chw, classes, spec.seed())) {
            if (!Files.isRegularFile(dir.resolve("init").resolve(ModelDir.DESCRIPTOR))) {
                ModelDir.write(dir.resolve("init"), net, spec.seed(), 0, true);
            }
            if (resumed == spec.epochs()) {
                // Finished before; a kill may have come between the checkpoint and model/ or the record: redo those.
                NetTrainer.restore(checkpoint, net);
                if (!Files.isRegularFile(dir.resolve("model").resolve(ModelDir.DESCRIPTOR))
                        || ModelDir.read(dir.resolve("model")).epochs() != resumed) {
                    ModelDir.write(dir.resolve("model"), net, spec.seed(), resumed, false);
                }
                Files2.writeString(record, json(spec, net, done, sources, started, p.images().count()));
                return result(spec, net, done, dir, resumed);
            }
            List<NetTrainer.EpochLog> logs = NetTrainer.train(net, spec, p, test, checkpoint, done, listener, (n, log) -> {
                // model/ first, then the record: a kill in between leaves a record one epoch behind, which is redone.
                ModelDir.write(dir.resolve("model"), n, spec.seed(), log.epoch(), false);
                done.add(log);
                Files2.writeString(record, json(spec, n, done, sources, started, p.images().count()));
            });
            return result(spec, net, logs, dir, resumed);
        }
    }

    private static Result result(TrainSpec spec, Net net, List<NetTrainer.EpochLog> logs, Path dir, int resumed) {
        NetTrainer.EpochLog last = logs.get(logs.size() - 1);
        double ips = logs.stream().mapToDouble(NetTrainer.EpochLog::imagesPerSecond).average().orElse(Double.NaN);
        return new Result(spec, net.parameterCount(), net.depth(), List.copyOf(logs), last.testError(), ips, dir.resolve("model"),
                dir.resolve("init"), resumed);
    }

    static String json(TrainSpec spec, Net net, List<NetTrainer.EpochLog> logs, Sources sources, String started, int images) {
        JsonObject o = new JsonObject();
        o.addProperty("key", spec.key());
        o.addProperty("arch", spec.arch().id());
        o.addProperty("parameters", net.parameterCount());
        o.addProperty("depth", net.depth());
        o.addProperty("train_size", spec.trainSize());
        o.addProperty("subset", spec.randomSubset() ? "random" : "first");
        o.addProperty("seed", spec.seed());
        JsonObject h = new JsonObject();
        h.addProperty("epochs", spec.epochs());
        h.addProperty("batch", spec.batch());
        h.addProperty("optimizer", spec.optimizer());
        h.addProperty("lr", spec.lr());
        h.addProperty("augment", spec.augment().format());
        o.add("hyper_parameters", h);
        JsonArray ep = new JsonArray();
        for (NetTrainer.EpochLog l : logs) {
            JsonObject j = new JsonObject();
            j.addProperty("epoch", l.epoch());
            j.addProperty("loss", l.loss());
            j.addProperty("test_error", l.testError());
            j.addProperty("images_per_second", l.imagesPerSecond());
            j.addProperty("seconds", l.seconds());
            j.addProperty("augment_seconds", l.augmentSeconds());
            ep.add(j);
        }
        o.add("epochs", ep);
        NetTrainer.EpochLog last = logs.get(logs.size() - 1);
        o.addProperty("test_error", last.testError());
        o.addProperty("images_per_second", logs.stream().mapToDouble(NetTrainer.EpochLog::imagesPerSecond).average().orElse(Double.NaN));
        JsonObject prov = new JsonObject();
        prov.addProperty("train", sources.train());
        prov.addProperty("test", sources.test());
        prov.addProperty("train_images", images);
        prov.addProperty("engine", TorchRuntime.describe());
        prov.addProperty("java", Runtime.version().toString());
        prov.addProperty("started", started);
        prov.addProperty("finished", Instant.now().toString());
        o.add("provenance", prov);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

}
