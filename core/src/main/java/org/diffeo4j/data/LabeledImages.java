package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;
import java.util.Objects;

/**
 * Images with their class labels (for test-error figures), or {@code labels == null} when the source
 * has none.
 *
 * @param source where they came from, for reports and messages
 */
public record LabeledImages(ImageBatch images, int[] labels, String source) {
    public LabeledImages {
        Objects.requireNonNull(images, "images");
        if (labels != null && labels.length != images.count()) {
            throw new BadInputException(source + ": labels must be one per image (" + images.count() + "), found " + labels.length);
        }
    }

    /** Images {@code index[0], index[1], ...} in that order (copied). */
    public LabeledImages select(int[] index) {
        int size = images.sampleSize();
        float[] d = new float[index.length * size];
        int[] l = labels == null ? null : new int[index.length];
        for (int k = 0; k < index.length; k++) {
            System.arraycopy(images.data(), index[k] * size, d, k * size, size);
            if (l != null) {
                l[k] = labels[index[k]];
            }
        }
        return new LabeledImages(new ImageBatch(index.length, images.channels(), images.height(), images.width(), d), l, source);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + source + ", " + images.shapeString() + (labels == null ? ", no labels" : ", labels "
                + Arrays.stream(labels).limit(5).boxed().toList() + "...") + "]";
    }
}
