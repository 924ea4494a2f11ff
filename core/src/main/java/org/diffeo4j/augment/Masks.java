package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.ImageBatch;

/** Label masks as class channels. */
public final class Masks {
    private Masks() {
    }

    /**
     * One channel per class: channel k is 1 where the label is k, 0 elsewhere.
     *
     * @param labels heap, one channel of integer labels in [0, classes); not modified
     */
    public static ImageBatch oneHot(ImageBatch labels, int classes) {
        if (labels.channels() != 1) {
            throw new BadInputException("labels must have 1 channel, found " + labels.channels());
        }
        if (classes < 1) {
            throw new BadInputException("classes must be >= 1, found " + classes);
        }
        int plane = labels.height() * labels.width();
        float[] in = labels.data();
        float[] out = new float[labels.count() * classes * plane];
        for (int s = 0; s < labels.count(); s++) {
            for (int p = 0; p < plane; p++) {
                float v = in[s * plane + p];
                int k = (int) v;
                if (k != v || k < 0 || k >= classes) {
                    throw new BadInputException("labels must be integers in [0, " + (classes - 1) + "], found " + v);
                }
                out[(s * classes + k) * plane + p] = 1f;
            }
        }
        return new ImageBatch(labels.count(), classes, labels.height(), labels.width(), out);
    }
}
