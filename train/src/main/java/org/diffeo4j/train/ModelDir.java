package org.diffeo4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
 */
public record ModelDir(Arch arch, int[] input, int classes, long seed, int epochs, boolean batchStatistics) {
    /** The file that marks a folder as one. */
    public static final String DESCRIPTOR = "model.json";
    static final String FORMAT = "diffeo4j-djl-net";

    /** Writes {@code net} to {@code dir} (created): weights first, then the descriptor, each atomically. */
    public static void write(Path dir, Net net, long seed, int epochs, boolean batchStatistics) throws IOException {
        Files.createDirectories(dir);
        Weights.write(dir.resolve("weights.bin"), net, net.arch().id() + " seed " + seed + " epochs " + epochs, 0, List.of());
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("arch", net.arch().id());
        JsonArray in = new JsonArray();
        for (int v : net.input()) {
            in.add(v);
        }
        o.add("input", in);
        o.addProperty("classes", net.classes());
        o.addProperty("seed", seed);
        o.addProperty("epochs", epochs);
        o.addProperty("batch_statistics", batchStatistics);
        o.addProperty("parameters", net.parameterCount());
        o.addProperty("depth", net.depth());
        Files2.writeString(dir.resolve(DESCRIPTOR), o + "\n");
    }

    /** Reads the descriptor of {@code dir}; one-line errors when it is not one. */
    public static ModelDir read(Path dir) {
        Path f = dir.resolve(DESCRIPTOR);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            if (!FORMAT.equals(o.get("format").getAsString())) {
                throw new IllegalArgumentException("model must be a " + FORMAT + " folder, found format " + o.get("format") + " in " + f);
            }
            JsonArray in = o.getAsJsonArray("input");
            return new ModelDir(Arch.parse(o.get("arch").getAsString()), new int[]{in.get(0).getAsInt(), in.get(1).getAsInt(), in.get(2).getAsInt()},
                    o.get("classes").getAsInt(), o.get("seed").getAsLong(), o.get("epochs").getAsInt(), o.get("batch_statistics").getAsBoolean());
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("model must")) {
                throw iae;
            }
            throw new IllegalArgumentException("model must be a folder written by diffeo train (" + DESCRIPTOR + " + weights.bin), found "
                    + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
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
