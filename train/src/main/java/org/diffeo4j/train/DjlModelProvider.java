package org.diffeo4j.train;

import org.diffeo4j.model.Model;
import org.diffeo4j.model.ModelProvider;
import org.diffeo4j.model.Options;
import org.diffeo4j.torch.TorchRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the model folders {@code diffeo train} writes ({@link ModelDir}), found through ServiceLoader. */
public final class DjlModelProvider implements ModelProvider {
    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String formats() {
        return "folders written by diffeo train (model.json + weights.bin)";
    }

    @Override
    public int accepts(Path path, byte[] head) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(ModelDir.DESCRIPTOR)) && Files.isRegularFile(path.resolve("weights.bin"))) {
            return 2;
        }
        return 0;
    }

    /** The folder's net on libtorch with {@code options.threads()} intra-op threads (a TorchScript module's folder, model.pt, goes to its own provider). */
    @Override
    public Model load(Path path, Options options) {
        ModelDir d = ModelDir.read(path);
        TorchRuntime.engine(options);
        try {
            return new DjlModel(d.load(path), path.getFileName() + " (" + d.epochs() + " epochs, seed " + d.seed() + ")", d.batchStatistics());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
