package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

/**
 * The one value rule of every loader (IDX, NPY; PNG/JPEG and CIFAR-10 are 8-bit by construction):
 * integer data are 8-bit pixel values and are divided by 255; floating-point data are taken as
 * stored. After that every pixel must lie in [0, 1], whatever the dtype: float data holding 0..255
 * or data already normalised with a mean and std are refused with the range found, never guessed at
 * (the protocol's noise and the models' {@code --mean/--std} assume [0, 1]).
 */
public final class PixelRange {
    /** Divisor of integer data. */
    public static final float INTEGER_SCALE = 255f;

    private PixelRange() {
    }

    /**
     * Checks that every pixel of {@code images} lies in [0, 1] (NaN and infinities are refused too).
     *
     * @param source the file, for the message
     * @param dtype the stored type ("uint8", "float32", ...), for the message
     * @param integer whether the data were integers (divided by 255)
     */
    public static ImageBatch require(ImageBatch images, String source, String dtype, boolean integer) {
        images.requireFinite(source);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : images.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (images.data().length > 0 && (lo < 0 || hi > 1)) {
            String found = integer
                    ? String.format("%s values %.6g..%.6g (%.6g..%.6g after dividing by 255)", dtype, lo * INTEGER_SCALE, hi * INTEGER_SCALE, lo, hi)
                    : String.format("%s values %.6g..%.6g", dtype, lo, hi);
            throw new BadInputException(source + ": pixel values must lie in [0, 1] (integer data are divided by 255, "
                    + "float data are taken as stored), found " + found
                    + (integer ? "" : hi > 1 && hi <= 255 && lo >= 0 ? "; divide 0-255 float data by 255" : "; store raw [0, 1] pixels and pass --mean/--std"));
        }
        return images;
    }
}
