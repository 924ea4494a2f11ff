package org.diffeo4j.model;

import java.nio.file.Path;

/**
 * A model runtime as a plug-in (Tribuo's Interop pattern): each adapter module (ONNX Runtime, DL4J,
 * ...) registers one in {@code META-INF/services/org.diffeo4j.model.ModelProvider}, and
 * {@link Models#load} asks every provider found how well it reads a file. Core itself names no
 * runtime, so adding one means adding a module, not editing core.
 */
public interface ModelProvider {
    /** Short name for messages and provenance: {@code onnx}, {@code dl4j}. */
    String name();

    /** The files it reads, in words, for the message when none fits ("ONNX files (.onnx)"). */
    String formats();

    /**
     * How sure the provider is that it reads {@code path}: 0 not at all, 1 as a fallback (worth a
     * try), 2 by its own signature (extension, magic number). Cheap: no runtime is loaded.
     *
     * @param head the first bytes of the file (up to 8; empty for a directory)
     */
    int accepts(Path path, byte[] head);

    /**
     * Loads the model to run with {@code options} (its thread count and verbosity); a one-line
     * {@link IllegalArgumentException} when the file is not readable as one.
     */
    Model load(Path path, Options options);
}
