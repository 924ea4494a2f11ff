package org.diffeo4j.model;

import org.diffeo4j.validate.BadInputException;

import java.util.List;

/**
 * A hidden layer a model can return, as {@code diffeo layers} lists it.
 *
 * @param name the layer's name in the model (an ONNX node output, a module or layer name)
 * @param aliases shorter names accepted for it as well (PyTorch module names of an ONNX export); may be empty
 * @param shape its shape per sample as "[B, 6, 24, 24]", or "unknown"
 */
public record LayerInfo(String name, List<String> aliases, String shape) {
    public LayerInfo {
        if (name == null || name.isEmpty()) {
            throw new BadInputException("layer name must be non-empty, found " + (name == null ? "null" : "''"));
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        shape = shape == null ? "unknown" : shape;
    }
}
