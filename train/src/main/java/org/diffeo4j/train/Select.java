package org.diffeo4j.train;

import org.diffeo4j.validate.BadInputException;

import java.util.Arrays;
import java.util.Locale;

/** Which checkpoint of a run is the trained model that gets measured. */
public enum Select {
    /** The weights after the last epoch run. */
    LAST("last"),
    /** The epoch with the lowest error on held-out training images (--validation N), disjoint from the P training images. */
    BEST_VALIDATION("best-validation"),
    /**
     * The epoch with the lowest test error — the authors' choice (diffeo-sota main.py keeps the net of
     * the best test accuracy, the first such epoch on ties). It selects on the test set, so the test
     * error it reports is optimistic; every output that comes from it says so.
     */
    BEST_TEST("best-test");

    private final String id;

    Select(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Select parse(String name) {
        for (Select s : values()) {
            if (s.id.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new BadInputException("select must be one of " + Arrays.stream(values()).map(Select::id).toList() + ", found '" + name + "'");
    }
}
