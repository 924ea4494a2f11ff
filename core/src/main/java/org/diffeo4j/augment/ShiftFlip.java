package org.diffeo4j.augment;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.random.Philox4x32;

/**
 * The usual geometric augmentations of MNIST/CIFAR training, counter-based like the diffeo draws:
 * a random integer translation of up to {@code pixels} px on each axis with zero fill (what
 * torchvision's {@code RandomCrop(size, padding=pixels)} does: pad by k zeros, crop at a uniform
 * offset in [0, 2k], i.e. shift by a uniform integer in [-k, k] per axis) and a horizontal flip with
 * probability {@code flip} ({@code RandomHorizontalFlip(p)}); the shift first, then the flip.
 *
 * <p>Image i of epoch e reads one Philox block at (seed, {@code AugmentAddress.of(e, i, 0)},
 * {@link AugmentAddress#STREAM_SHIFT_FLIP}, element block 0): word 0 gives dx, word 1 dy, word 2 the
 * flip. {@code d = floor(w (2k+1) / 2^32) - k} (exact integer arithmetic; the bias of a 32-bit word
 * reduced to 2k+1 values is below (2k+1)/2^32); flipped when {@code (w + 0.5)/2^32 < p}. No other
 * draw reads that stream, so a shift never reuses a number of a diffeo or of the measurement.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShiftFlip {
    /** What image i of epoch e gets: out(y, x) = in(y - dy, x - dx), then mirrored if {@code flipped}. */
    public record Draw(int dx, int dy, boolean flipped) {
    }

    private final int pixels;
    private final double flip;
    private final long seed;

    /**
     * @param pixels largest shift per axis, >= 0 (0: no shift)
     * @param flip probability of a horizontal flip, in [0, 1]
     * @param seed key of every draw
     */
    public ShiftFlip(int pixels, double flip, long seed) {
        if (pixels < 0) {
            throw new BadInputException("pixels must be >= 0, found " + pixels);
        }
        if (!(flip >= 0 && flip <= 1)) {
            throw new BadInputException("p must be in [0, 1], found " + flip);
        }
        this.pixels = pixels;
        this.flip = flip;
        this.seed = seed;
    }

    /** The shift and flip of image {@code image} in epoch {@code epoch}. */
    public Draw draw(int epoch, long image) {
        long address = AugmentAddress.of(epoch, image, 0);
        int[] w = new int[4];
        Philox4x32.block(0, AugmentAddress.STREAM_SHIFT_FLIP, (int) address, (int) (address >>> 32), (int) seed, (int) (seed >>> 32), w);
        int span = 2 * pixels + 1;
        int dx = (int) (((w[0] & 0xFFFFFFFFL) * span) >>> 32) - pixels;
        int dy = (int) (((w[1] & 0xFFFFFFFFL) * span) >>> 32) - pixels;
        boolean flipped = ((w[2] & 0xFFFFFFFFL) + 0.5) / 4294967296.0 < flip;
        return new Draw(dx, dy, flipped);
    }

    /**
     * Shifts and flips the images of {@code x} in place.
     *
     * @param images training-set index of each image (the address), not modified
     * @param x images.length x channels x height x width, modified
     */
    public void apply(int epoch, long[] images, float[] x, int channels, int height, int width) {
        int plane = height * width;
        if (x.length != images.length * channels * plane) {
            throw new IllegalArgumentException("x must hold " + images.length + " x " + channels + " x " + height + " x " + width
                    + " floats, found " + x.length);
        }
        float[] src = new float[plane];
        for (int s = 0; s < images.length; s++) {
            Draw d = draw(epoch, images[s]);
            for (int ch = 0; ch < channels; ch++) {
                int off = (s * channels + ch) * plane;
                System.arraycopy(x, off, src, 0, plane);
                move(src, x, off, height, width, d);
            }
        }
    }

    /** out(y, x) = src(y - dy, x' - dx) with x' = w-1-x when flipped, else x; 0 outside. */
    static void move(float[] src, float[] out, int off, int height, int width, Draw d) {
        for (int y = 0; y < height; y++) {
            int sy = y - d.dy();
            for (int x = 0; x < width; x++) {
                int sx = (d.flipped() ? width - 1 - x : x) - d.dx();
                out[off + y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? src[sy * width + sx] : 0f;
            }
        }
    }
}
