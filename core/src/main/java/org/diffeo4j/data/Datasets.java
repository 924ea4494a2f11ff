package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Opens a data path by its kind, pixels in [0, 1]: a folder (CIFAR-10 {@code .bin} batches, or
 * PNG/JPEG images in class sub-folders), an IDX file (labels read from the sibling
 * {@code *-labels-idx1-ubyte[.gz]} when present), a CIFAR-10 {@code .bin}, an {@code .npy}, or one
 * PNG/JPEG image.
 */
public final class Datasets {
    private Datasets() {
    }

    /** Loads {@code path}; one-line errors naming the path, what was expected and what was found. */
    public static LabeledImages load(Path path) {
        return load(path, Npy.Layout.NCHW);
    }

    /** Loads {@code path}, reading a 4-dimensional NPY array in {@code npyLayout}. */
    public static LabeledImages load(Path path, Npy.Layout npyLayout) {
        if (Files.isDirectory(path)) {
            return hasBin(path) ? Cifar10.read(path) : ImageFolder.read(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("data must be an existing file or folder, found nothing at " + path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return new LabeledImages(Npy.readImages(path, npyLayout), null, path.toString());
        }
        if (name.endsWith(".bin") || name.endsWith(".bin.gz")) {
            return Cifar10.read(path);
        }
        if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return new LabeledImages(ImageFiles.read(path), null, path.toString());
        }
        ImageBatch images = Idx.readImages(path);
        Path labels = labelsBeside(path);
        int[] l = labels == null ? null : Idx.readLabels(labels);
        return new LabeledImages(images, l != null && l.length == images.count() ? l : null, path.toString());
    }

    /** {@code t10k-images-idx3-ubyte.gz} to {@code t10k-labels-idx1-ubyte.gz}, if that file exists. */
    static Path labelsBeside(Path images) {
        String n = labelsName(images.getFileName().toString());
        if (n == null) {
            return null;
        }
        Path p = images.resolveSibling(n);
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * The name of the label file {@link #load} reads beside an IDX image file of this name
     * ({@code images-idx3} becomes {@code labels-idx1}), or null for other files: what must travel with
     * the file when it is copied elsewhere (the Spark engine ships datasets to its executors).
     */
    public static String labelsName(String imagesFileName) {
        return imagesFileName.contains("images-idx3") ? imagesFileName.replace("images-idx3", "labels-idx1") : null;
    }

    private static boolean hasBin(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".bin"));
        } catch (IOException e) {
            throw new BadInputException("data folder " + dir + " must be readable, found " + e.getMessage());
        }
    }
}
