package org.diffeo4j.model;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.ImageBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network f: images [B, C, H, W] to outputs [B, K], optionally with named hidden layers.
 * Implementations evaluate one chunk in {@link #forwardChunk}; {@link #forward} splits a batch into
 * chunks of {@link #chunkSize} images so large probe sets fit memory.
 */
public interface Model extends AutoCloseable {
    /** Key of the network's output in the maps returned by {@link #forward(ImageBatch, List)}. */
    String OUTPUT = "output";

    /** What it is, in words, for reports ("ONNX lenet.onnx (input [B,1,28,28] -> logits [B,10])"). */
    String description();

    /** The runtime that evaluates it and its version, for provenance ("onnxruntime 1.28.0"). */
    default String runtime() {
        return "java";
    }

    /** Expected input {C, H, W}; an entry of -1 accepts any size on that axis. */
    int[] inputShape();

    /** Number of outputs K. */
    int outputs();

    /**
     * Trainable parameters (scalars) as the runtime holds them, PyTorch's
     * {@code sum(p.numel() for p in net.parameters())} where it can tell them from buffers
     * (batch-norm running statistics are not parameters); empty where the runtime cannot tell, never
     * a made-up number. What each runtime counts: docs/stability.md (model formats).
     */
    default java.util.OptionalLong parameterCount() {
        return java.util.OptionalLong.empty();
    }

    /**
     * Weight layers (convolutions, dense / matrix-multiply layers) on the longest path from the input
     * to the output (a ResNet's 1x1 shortcut convolutions are beside that path); empty where the
     * runtime does not show the data flow.
     */
    default java.util.OptionalInt depth() {
        return java.util.OptionalInt.empty();
    }

    /** Names of the hidden layers {@link #forward(ImageBatch, List)} can return (one per layer, the shortest name). */
    List<String> layerNames();

    /** True when {@code name} names a hidden layer, in {@link #layerNames()} or as another accepted form. */
    default boolean hasLayer(String name) {
        return layerNames().contains(name);
    }

    /** The hidden layers with their accepted names and shapes, in model order (for {@code diffeo layers}). */
    default List<LayerInfo> layers() {
        return layerNames().stream().map(n -> new LayerInfo(n, List.of(), "unknown")).toList();
    }

    /**
     * The hidden layers with the shapes one forward of {@code probe} gives (its first image is run;
     * not modified), for runtimes that record no shapes (TorchScript, DJL, DL4J); the default is
     * {@link #layers()}. A probe the model cannot take is an {@link IllegalArgumentException}.
     */
    default List<LayerInfo> layers(ImageBatch probe) {
        return layers();
    }

    /** "[B, 6, 24, 24]": a layer's shape for {@link LayerInfo}, the first axis (the batch) as B. */
    static String batchShape(long[] dims) {
        StringBuilder b = new StringBuilder("[B");
        for (int a = 1; a < dims.length; a++) {
            b.append(", ").append(dims[a]);
        }
        return b.append(']').toString();
    }

    /**
     * Evaluates one chunk (already shape-checked). The map holds {@link #OUTPUT} and every name of
     * {@code layers}. {@code images} is not modified.
     */
    Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers);

    /** Images per chunk: about 64 MiB of input, at most 1024 images. */
    default int chunkSize(ImageBatch images) {
        long bytes = 4L * images.sampleSize();
        return (int) Math.max(1, Math.min(1024, (64L << 20) / bytes));
    }

    /** The outputs [B, K] of {@code images} (not modified). */
    default Activations forward(ImageBatch images) {
        return forward(images, List.of()).get(OUTPUT);
    }

    /** Outputs and the named hidden layers of {@code images} (not modified), evaluated in chunks. */
    default Map<String, Activations> forward(ImageBatch images, List<String> layers) {
        requireInput(images);
        for (String l : layers) {
            if (!hasLayer(l)) {
                throw new BadInputException("layer must be one of " + layerNames() + ", found '" + l + "'");
            }
        }
        int chunk = chunkSize(images);
        if (images.count() <= chunk) {
            return forwardChunk(images, layers);
        }
        Map<String, List<Activations>> parts = new LinkedHashMap<>();
        for (int from = 0; from < images.count(); from += chunk) {
            ImageBatch part = images.slice(from, Math.min(chunk, images.count() - from));
            forwardChunk(part, layers).forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Activations> out = new LinkedHashMap<>();
        parts.forEach((k, v) -> out.put(k, Activations.concat(v)));
        return out;
    }

    /** Throws a one-line message naming both shapes when {@code images} do not fit the model. */
    default void requireInput(ImageBatch images) {
        int[] want = inputShape();
        int[] found = {images.channels(), images.height(), images.width()};
        for (int a = 0; a < 3; a++) {
            if (want[a] >= 0 && want[a] != found[a]) {
                throw new BadInputException("model input must be images of shape " + shape(want)
                        + ", found data of shape " + images.shapeString() + " (" + description() + ")");
            }
        }
    }

    /** "[B, C, H, W]" with "?" for free axes. */
    static String shape(int[] chw) {
        String[] s = Arrays.stream(chw).mapToObj(v -> v < 0 ? "?" : Integer.toString(v)).toArray(String[]::new);
        return "[B, " + String.join(", ", s) + "]";
    }

    @Override
    default void close() {
    }
}
