package org.diffeo4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model file by its kind: ONNX ({@code .onnx}) or a DL4J ModelSerializer zip. */
public final class Models {
    private Models() {
    }

    /**
     * Loads {@code path}: a zip (by magic number) is a DL4J model, anything else is tried as ONNX.
     * Missing runtimes and unreadable files are one-line {@link IllegalArgumentException}s.
     */
    public static Model load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model must be an existing .onnx file or DL4J .zip, found no file at " + path);
        }
        boolean zip = isZip(path);
        try {
            return zip ? Dl4jModel.load(path) : OnnxModel.load(path);
        } catch (LinkageError e) {
            throw new IllegalStateException("model " + path.getFileName() + " needs " + (zip ? "DL4J/ND4J with a native backend"
                    : "ONNX Runtime") + " on the class path, found it missing or broken (" + e + ")");
        }
    }

    /** Versions of the model runtimes that can be loaded, for provenance ("onnxruntime 1.28.0"). */
    public static String runtimeVersion(Model m) {
        try {
            if (m instanceof OnnxModel) {
                return OnnxModel.runtimeVersion();
            }
            if (m instanceof Dl4jModel) {
                return Dl4jModel.runtimeVersion();
            }
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getClass().getSimpleName() + ")";
        }
        return "java";
    }

    static boolean isZip(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            throw new IllegalArgumentException("model must be a readable file, found " + path + " (" + e.getMessage() + ")");
        }
    }

}
