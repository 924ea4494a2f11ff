package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import org.diffeo4j.torch.TorchRuntime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Any architecture from PyTorch (issue 20, item 7): an untrained TorchScript module ({@code
 * torch.jit.script} or {@code torch.jit.trace} of an {@code nn.Module} in train mode, saved with
 * {@code torch.jit.save}) trained by the engine's own loop through libtorch. Its initial weights are
 * the file's. Its parameters are loaded with gradients; its buffers (batch-norm running statistics)
 * live inside the module, so every state of the run is saved as a whole module ({@link #save}).
 */
public final class TorchModule {
    private TorchModule() {
    }

    /** Whether {@code arch} names a module file rather than a built-in architecture. */
    public static boolean isFile(String arch) {
        return arch != null && arch.toLowerCase(java.util.Locale.ROOT).endsWith(".pt");
    }

    /**
     * Loads {@code file} as a trainable net for C x H x W inputs and {@code classes} classes: checked by
     * a forward of two images in inference mode, whose output must be [2, K] with K >= classes.
     * One-line errors name {@code option}. libtorch keeps the threads it runs with now.
     */
    public static Net load(Path file, int[] chw, int classes, String option) {
        return load(file, chw, classes, option, org.diffeo4j.model.Options.threads(TorchRuntime.threads()));
    }

    /** As above, libtorch on {@code options.threads()} intra-op threads. */
    public static Net load(Path file, int[] chw, int classes, String option, org.diffeo4j.model.Options options) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + " must be a built-in architecture or a TorchScript file (.pt), found no file at " + file);
        }
        PtNDManager manager = (PtNDManager) TorchRuntime.newManager(options);
        PtSymbolBlock block;
        try {
            block = JniUtils.loadModule(manager, file, true, new String[0], new String[0], true);
        } catch (EngineException | IllegalArgumentException | UnsupportedOperationException e) {
            manager.close();
            throw new BadInputException(option + " must be a TorchScript module saved with torch.jit.save, found " + file + " ("
                    + firstLine(e.getMessage()) + ")");
        }
        Net net = new Net(file.getFileName().toString(), chw, classes, block, manager);
        long[] out;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.zeros(new Shape(2, chw[0], chw[1], chw[2]));
            out = net.forward(x, false).getShape().getShape();
        } catch (EngineException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            net.close();
            throw new BadInputException(option + " must map [B, " + chw[0] + ", " + chw[1] + ", " + chw[2] + "] images to [B, K] logits, found "
                    + file + " failing on them (" + firstLine(e.getMessage()) + ")");
        }
        if (out.length != 2 || out[0] != 2 || out[1] < classes) {
            net.close();
            throw new BadInputException(option + " must map [B, " + chw[0] + ", " + chw[1] + ", " + chw[2] + "] images to [B, K] logits with K >= "
                    + classes + " (the classes of the data), found output shape " + java.util.Arrays.toString(out) + " for B = 2 from " + file);
        }
        if (net.parameterCount() == 0) {
            net.close();
            throw new BadInputException(option + " must have trainable parameters, found none in " + file);
        }
        return net;
    }

    /** Writes the whole module (parameters and buffers) atomically to {@code file}. */
    static void save(Net net, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = org.diffeo4j.report.Files2.newFile(tmp)) {
            JniUtils.writeModule(net.module(), os, false); // false: a plain torch.jit.save zip, no size prefix
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The sha-256 of a file, for run keys: another file of the same name is another run. */
    static String sha256(Path file) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(d.digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new BadInputException("arch must be a readable file, found " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "no message";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
