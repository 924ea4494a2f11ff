package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of PNG/JPEG images: class sub-folders (label = index of the sub-folder in name order,
 * as torchvision's ImageFolder), or the images directly in the folder (no labels). Every image must
 * have the same shape: nothing is resized or cropped silently.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /** Reads the folder; one-line errors for an empty folder, mixed shapes and corrupt files. */
    public static LabeledImages read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("data folder " + dir + " must exist, found none");
        }
        List<Path> classes = list(dir).stream().filter(Files::isDirectory).toList();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classes.isEmpty()) {
            files.addAll(images(dir));
        } else {
            for (int c = 0; c < classes.size(); c++) {
                for (Path f : images(classes.get(c))) {
                    files.add(f);
                    labels.add(c);
                }
            }
        }
        if (files.isEmpty()) {
            throw new BadInputException("data folder " + dir + " must hold PNG or JPEG images (in class sub-folders or directly), found none");
        }
        ImageBatch first = ImageFiles.read(files.get(0));
        int size = first.sampleSize();
        float[] data = new float[files.size() * size];
        for (int s = 0; s < files.size(); s++) {
            ImageBatch b = s == 0 ? first : ImageFiles.read(files.get(s));
            if (b.channels() != first.channels() || b.height() != first.height() || b.width() != first.width()) {
                throw new BadInputException(files.get(s) + ": images of a data folder must all have the shape of "
                        + files.get(0).getFileName() + " " + first.slice(0, 1).shapeString() + ", found " + b.shapeString());
            }
            System.arraycopy(b.data(), 0, data, s * size, size);
        }
        int[] l = classes.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledImages(new ImageBatch(files.size(), first.channels(), first.height(), first.width(), data), l, dir.toString());
    }

    private static List<Path> images(Path dir) {
        return list(dir).stream().filter(p -> {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
        }).toList();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("data folder " + dir + " must be readable, found " + e.getMessage());
        }
    }
}
