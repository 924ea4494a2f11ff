package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;
import org.diffeo4j.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Loads the images named on a command line: PNG/JPEG files, or chosen entries of IDX/NPY files. */
final class InputImages {
    /** One input image (a batch of one), the stem its outputs are named after, and the file it was read from. */
    record Named(String stem, ImageBatch image, String source) {
    }

    private InputImages() {
    }

    static List<Named> load(List<Path> files, int[] index, Npy.Layout layout) {
        List<Named> out = new ArrayList<>();
        for (Path f : files) {
            if (Files.isDirectory(f)) {
                throw new BadInputException("IMAGE must be a PNG/JPEG, IDX or NPY file, found a folder: " + f);
            }
            String name = f.getFileName().toString(), lower = name.toLowerCase(Locale.ROOT);
            String stem = name.replaceAll("\\.(png|jpe?g|npy|gz|idx)$", "").replaceAll("\\.(idx\\d?-ubyte|ubyte)$", "");
            if (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
                out.add(new Named(stem, Inputs.tagged("IMAGE", () -> ImageFiles.read(f).requireFinite(f.toString())), f.toString()));
                continue;
            }
            ImageBatch all = Inputs.tagged("IMAGE", () -> lower.endsWith(".npy") ? Npy.readImages(f, layout) : Idx.readImages(f));
            for (int k : index) {
                if (k < 0 || k >= all.count()) {
                    throw new BadInputException("--index must lie in [0, " + (all.count() - 1) + "] for " + f + ", found " + k);
                }
                out.add(new Named(stem + "_" + k, all.slice(k, 1), f + " [" + k + "]"));
            }
        }
        return out;
    }
}
