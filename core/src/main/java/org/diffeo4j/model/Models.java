package org.diffeo4j.model;

import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Opens a model file with the {@link ModelProvider} that reads it best, found through ServiceLoader. */
public final class Models {
    private Models() {
    }

    /** Every provider on the class path. */
    public static List<ModelProvider> providers() {
        List<ModelProvider> list = new ArrayList<>();
        ServiceLoader.load(ModelProvider.class).forEach(list::add);
        return list;
    }

    /**
     * Loads {@code path} with the provider whose {@link ModelProvider#accepts} is highest (ties: the
     * first found). Missing files, files no provider reads and broken runtimes are one-line errors:
     * {@link IllegalArgumentException} for the file, {@link IllegalStateException} for a runtime
     * that is missing or fails to load. The runtime runs with {@code options} (threads, verbosity).
     */
    public static Model load(Path path, Options options) {
        java.util.Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new BadInputException("model must be an existing model file, found no file at " + path);
        }
        byte[] head = head(path);
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        // A .pt/.pth that is not a zip archive is no TorchScript file; without this, ONNX (which takes any
        // non-zip file) would say it "must be an ONNX file". An ONNX protobuf (first byte 0x08, ir_version) still goes to ONNX.
        if ((name.endsWith(".pt") || name.endsWith(".pth")) && !isZip(head) && head[0] != 0x08) {
            throw new BadInputException("model must be a TorchScript file (torch.jit.save writes a zip archive), found " + path
                    + ", which is not a zip archive");
        }
        List<ModelProvider> all = providers();
        if (all.isEmpty()) {
            throw new IllegalStateException("model " + path.getFileName() + " needs a model runtime module (diffeo4j-model-onnx, "
                    + "diffeo4j-model-dl4j, ...) on the class path, found none");
        }
        ModelProvider best = all.stream().max(Comparator.comparingInt(p -> p.accepts(path, head))).orElseThrow();
        if (best.accepts(path, head) <= 0) {
            throw new BadInputException("model must be one of: " + String.join(", ", all.stream().map(ModelProvider::formats).toList())
                    + "; found " + path);
        }
        try {
            return best.load(path, options);
        } catch (LinkageError e) {
            throw new IllegalStateException("model " + path.getFileName() + " needs the " + best.name()
                    + " runtime, found it missing or broken (" + firstLine(e.toString()) + ")");
        }
    }

    /** {@link #load(Path, Options)} with {@link Options#defaults()}: every core (for tests and tools; commands pass their --threads). */
    public static Model load(Path path) {
        return load(path, Options.defaults());
    }

    /** The first line of a runtime's message (they are often multi-line stack dumps), never null. */
    public static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** True when {@code head} starts with the zip signature "PK\3\4". */
    public static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    private static byte[] head(Path path) {
        if (Files.isDirectory(path)) {
            return new byte[0];
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.copyOf(in.readNBytes(8), 8);
        } catch (IOException e) {
            throw new BadInputException("model must be a readable file, found " + path + " (" + e.getMessage() + ")");
        }
    }
}
