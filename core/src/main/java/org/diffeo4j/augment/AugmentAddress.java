package org.diffeo4j.augment;

/**
 * The sample addresses of augmentation draws (docs/randomness.md, docs/augment.md): one 64-bit
 * address per (epoch, image, attempt),
 *
 * <pre>
 *   bit 63      = 1            (the measurement's addresses are non-negative longs: bit 63 is 0)
 *   bits 56..62 = attempt      (0 .. 127; 0 is the first field drawn for the image)
 *   bits 32..55 = epoch        (0 .. 2^24 - 1)
 *   bits  0..31 = image        (0 .. 2^32 - 1, the image's index in the epoch)
 * </pre>
 *
 * Streams at these addresses: {@code 0}/{@code 1} the field coefficients (the same streams as
 * {@code deformInto}, so {@code backend.deform(image, (c, T), seed, address)} replays an image's
 * deformation), {@link #STREAM_CUT} the Beta draw of c and {@link #STREAM_TEMPERATURE} the Beta draw
 * of T (read at attempt 0 only), {@link #STREAM_SHIFT_FLIP} the shift and flip of {@link ShiftFlip}
 * (attempt 0 only). Since the measurement of R_f only uses streams 0-2 at addresses
 * with bit 63 clear, no augmentation draw can reuse one of its random numbers, whatever the seeds.
 */
public final class AugmentAddress {
    /** Stream of the uniforms behind the Beta draw of the cut-off. */
    public static final int STREAM_CUT = 3;
    /** Stream of the uniforms behind the Beta draw of the temperature. */
    public static final int STREAM_TEMPERATURE = 4;
    /** Stream of the shift and flip draws ({@link ShiftFlip}): words 0, 1, 2 of element block 0, attempt 0. */
    public static final int STREAM_SHIFT_FLIP = 5;
    /** Most attempts (fields) per image: 7 bits. */
    public static final int MAX_ATTEMPTS = 128;
    /** Epochs must be below this: 24 bits. */
    public static final int EPOCH_LIMIT = 1 << 24;
    /** Image indices must be below this: 32 bits. */
    public static final long IMAGE_LIMIT = 1L << 32;

    private static final long TAG = 1L << 63;

    private AugmentAddress() {
    }

    /** The address of attempt {@code attempt} of image {@code image} in epoch {@code epoch}. */
    public static long of(int epoch, long image, int attempt) {
        requireEpoch(epoch);
        requireImage(image);
        if (attempt < 0 || attempt >= MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be in [0, " + (MAX_ATTEMPTS - 1) + "], found " + attempt);
        }
        return TAG | ((long) attempt << 56) | ((long) epoch << 32) | image;
    }

    /** The epoch field of an address. */
    public static int epoch(long address) {
        return (int) ((address >>> 32) & 0xFFFFFF);
    }

    /** The image field of an address. */
    public static long image(long address) {
        return address & 0xFFFFFFFFL;
    }

    /** The attempt field of an address. */
    public static int attempt(long address) {
        return (int) ((address >>> 56) & 0x7F);
    }

    static void requireEpoch(int epoch) {
        if (epoch < 0 || epoch >= EPOCH_LIMIT) {
            throw new IllegalArgumentException("epoch must be in [0, " + (EPOCH_LIMIT - 1) + "], found " + epoch);
        }
    }

    static void requireImage(long image) {
        if (image < 0 || image >= IMAGE_LIMIT) {
            throw new IllegalArgumentException("image must be in [0, 2^32 - 1], found " + image);
        }
    }
}
