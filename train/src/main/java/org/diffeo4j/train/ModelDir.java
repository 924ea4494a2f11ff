package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.report.Files2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained (or freshly initialised) net on disk: a folder with {@code model.json} (architecture,
 * input shape, classes, initialisation seed, epochs trained, and whether batch-norm uses batch
 * statistics) and {@code weights.bin} ({@link Weights}). {@link DjlModelProvider} reads it.
 *
 * @param batchStatistics batch-norm normalises with each batch's statistics (the net at
 *                        initialisation, which has no running statistics yet) instead of running ones
 * @param normalise       what the net was trained on: images in [0, 1] normalised so (null: none). A
 *                        measurement normalises its probes so before deforming them, as the authors
 *                        measure on their normalised test loader ({@link #normalisationOf}).
 */
public record ModelDir(Arch arch, int[] input, int classes, long seed, int epochs, boolean batchStatistics, Normalisation normalise) {
    /** The file that marks a folder as one. */
    public static final String DESCRIPTOR = "model.json";
    static final String FORMAT = "diffeo4j-djl-net";

    /** Writes {@code net} to {@code dir} (created): weights first, then the descriptor, each atomically. */
    public static void write(Path dir, Net net, long seed, int epochs, boolean batchStatistics) throws IOException {
        write(dir, net, seed, epochs, batchStatistics, null);
    }

    /** As {@link #write(Path, Net, long, int, boolean)}, recording the inputs' normalisation (null: none). */
    public static void write(Path dir, Net net, long seed, int epochs, boolean batchStatistics, Normalisation normalise) throws IOException {
        Files2.createDirectories(dir);
        Weights.write(dir.resolve("weights.bin"), net, net.arch().id() + " seed " + seed + " epochs " + epochs, 0, List.of());
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("arch", net.arch().id());
        o.addProperty("seed", seed);
        o.addProperty("batch_statistics", batchStatistics);
        o.addProperty("depth", net.depth());
        writeDescriptor(dir, o, net, epochs, normalise);
    }

    /** The fields both kinds of folder share (input, classes, epochs, parameters, normalisation), then the descriptor, atomically. */
    private static void writeDescriptor(Path dir, JsonObject o, Net net, int epochs, Normalisation normalise) throws IOException {
        JsonArray in = new JsonArray();
        for (int v : net.input()) {
            in.add(v);
        }
        o.add("input", in);
        o.addProperty("classes", net.classes());
        o.addProperty("epochs", epochs);
        o.addProperty("parameters", net.parameterCount());
        if (normalise != null) {
            JsonObject n = new JsonObject();
            n.add("mean", array(normalise.mean()));
            n.add("std", array(normalise.std()));
            o.add("normalise", n);
        }
        Files2.writeString(dir.resolve(DESCRIPTOR), o + "\n");
    }

    /** Reads the descriptor of {@code dir}; one-line errors when it is not one. */
    public static ModelDir read(Path dir) {
        Path f = dir.resolve(DESCRIPTOR);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            if (!FORMAT.equals(o.get("format").getAsString())) {
                throw new BadInputException("model must be a " + FORMAT + " folder, found format " + o.get("format") + " in " + f);
            }
            JsonArray in = o.getAsJsonArray("input");
            return new ModelDir(Arch.parse(o.get("arch").getAsString()), new int[]{in.get(0).getAsInt(), in.get(1).getAsInt(), in.get(2).getAsInt()},
                    o.get("classes").getAsInt(), o.get("seed").getAsLong(), o.get("epochs").getAsInt(), o.get("batch_statistics").getAsBoolean(),
                    normalise(o));
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("model must")) {
                throw iae;
            }
            throw new BadInputException("model must be a folder written by diffeo train (" + DESCRIPTOR + " + weights.bin), found "
                    + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** The module of a folder written for a TorchScript net (--arch FILE.pt), beside its descriptor. */
    public static final String MODULE_FILE = "model.pt";
    static final String MODULE_FORMAT = "diffeo4j-torchscript-net";

    /**
     * Writes a TorchScript net's folder: {@code from} (a whole module: the file trained, or a checkpoint)
     * copied to {@link #MODULE_FILE}, then the descriptor; each atomically.
     */
    static void writeModule(Path dir, Path from, Net net, int epochs, Normalisation normalise) throws IOException {
        Files2.createDirectories(dir);
        Path tmp = dir.resolve(MODULE_FILE + ".tmp");
        try (java.io.OutputStream o = Files2.newFile(tmp)) {
            Files.copy(from, o);
        }
        Files.move(tmp, dir.resolve(MODULE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        JsonObject o = new JsonObject();
        o.addProperty("format", MODULE_FORMAT);
        o.addProperty("module", net.id());
        writeDescriptor(dir, o, net, epochs, normalise);
    }

    /** The epochs of a model folder of either kind (-1 when unreadable). */
    static int epochsOf(Path dir) {
        try {
            return JsonParser.parseString(Files.readString(dir.resolve(DESCRIPTOR))).getAsJsonObject().get("epochs").getAsInt();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The normalisation a model of {@code diffeo train} records (its folder, or the model.pt inside a
     * module's folder); null for any other model (or none recorded).
     */
    public static Normalisation normalisationOf(Path model) {
        Path dir = Files.isRegularFile(model) ? model.toAbsolutePath().getParent() : model;
        Path f = dir.resolve(DESCRIPTOR);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            return o.has("format") && o.get("format").getAsString().startsWith("diffeo4j-") ? normalise(o) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The descriptor's {@code normalise} object (either kind of folder), or null. */
    private static Normalisation normalise(JsonObject o) {
        if (!o.has("normalise")) {
            return null;
        }
        JsonObject n = o.getAsJsonObject("normalise");
        return new Normalisation(doubles(n.getAsJsonArray("mean")), doubles(n.getAsJsonArray("std")));
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    private static double[] doubles(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    /**
     * The net with its weights, built without dropout: a loaded net is measured, never trained, and a
     * net at initialisation is measured with a training-mode forward (batch statistics) that must not
     * drop units (EfficientNet-B0).
     */
    public Net load(Path dir) throws IOException {
        Net net = Architectures.build(arch, input, classes, seed, false);
        try {
            Weights.read(dir.resolve("weights.bin"), net);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }
}
