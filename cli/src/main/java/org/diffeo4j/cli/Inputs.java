package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.model.Model;

import java.util.List;
import java.util.function.Supplier;

/** Input checks of the commands that need the command line's words (option names) in their messages. */
final class Inputs {
    private Inputs() {
    }

    /**
     * Runs {@code load}; an input error it throws is re-worded to start with {@code option}, so the
     * user sees which argument was wrong ("--data /x.npy: NPY images must ..."). Reading and checking a
     * file the user named is input validation: an {@link IllegalArgumentException} from a model runtime
     * refusing the file (the model adapters' own checks) is bad input too.
     */
    static <T> T tagged(String option, Supplier<T> load) {
        try {
            return load.get();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? "is not valid" : e.getMessage();
            String word = option.replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
            if (msg.startsWith(option + " ") || msg.startsWith(option + ":")) {
                throw e instanceof BadInputException b ? b : new BadInputException(msg, e);
            }
            // "data must ..." -> "--data must ...", "image file x ..." -> "IMAGE file x ...", "/x.npy: ..." -> "--data /x.npy: ..."
            throw new BadInputException(msg.startsWith(word + " ") ? option + msg.substring(word.length()) : option + " " + msg, e);
        }
    }

    /** {@link #tagged(String, Supplier)} for a check that returns nothing. */
    static void taggedCheck(String option, Runnable check) {
        tagged(option, () -> {
            check.run();
            return null;
        });
    }

    /** {@code norm} applied to {@code images} (its errors start "mean and std must", which names --mean). */
    static ImageBatch normalise(Normalisation norm, ImageBatch images) {
        return norm.apply(images);
    }

    /** Every name of {@code layers} must be a hidden layer {@code model} returns (any name it accepts, {@link Model#hasLayer}). */
    static void requireLayers(Model model, List<String> layers) {
        for (String l : layers) {
            if (!model.hasLayer(l)) {
                List<String> known = model.layerNames();
                throw new BadInputException("--layer must name hidden layers of the model, found '" + l + "', but "
                        + (known.isEmpty() ? "the model exposes none" : "its layers are " + String.join(", ", known)
                        + " (diffeo layers --model PATH lists them with their shapes and other accepted names)"));
            }
        }
    }
}
