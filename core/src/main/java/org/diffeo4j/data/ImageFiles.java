package org.diffeo4j.data;

import org.diffeo4j.validate.BadInputException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PNG/JPEG files to and from images. Grey images give one channel, colour images three (RGB,
 * alpha dropped); values in [0, 1].
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** Reads one image file as a batch of one. */
    public static ImageBatch read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("image file " + path + " must exist, found none");
        }
        try (InputStream in = Files.newInputStream(path)) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new BadInputException(path + ": image must be PNG or JPEG, found unreadable content");
            }
            return fromImage(img);
        } catch (IOException e) {
            throw new BadInputException(path + ": corrupt image file (" + e.getMessage() + ")");
        }
    }

    /** Reads an image from a stream (e.g. a bundled resource). */
    public static ImageBatch read(InputStream in, String name) throws IOException {
        BufferedImage img = ImageIO.read(in);
        if (img == null) {
            throw new BadInputException(name + ": image must be PNG or JPEG, found unreadable content");
        }
        return fromImage(img);
    }

    /** Converts a decoded image. */
    public static ImageBatch fromImage(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        int c = grey ? 1 : 3;
        float[] d = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                if (grey) {
                    d[y * w + x] = img.getRaster().getSample(x, y, 0) / (float) ((1 << img.getColorModel().getComponentSize(0)) - 1);
                } else {
                    d[y * w + x] = ((rgb >> 16) & 0xFF) / 255f;
                    d[h * w + y * w + x] = ((rgb >> 8) & 0xFF) / 255f;
                    d[2 * h * w + y * w + x] = (rgb & 0xFF) / 255f;
                }
            }
        }
        return new ImageBatch(1, c, h, w, d);
    }

    /** Image {@code s} of {@code batch} as an 8-bit image (values clamped to [0, 1]). */
    public static BufferedImage toImage(ImageBatch batch, int s) {
        int h = batch.height(), w = batch.width(), c = batch.channels(), plane = h * w, off = s * batch.sampleSize();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        float[] d = batch.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = off + y * w + x;
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, byteOf(d[p]));
                } else {
                    img.setRGB(x, y, (byteOf(d[p]) << 16) | (byteOf(d[p + plane]) << 8) | byteOf(d[p + 2 * plane]));
                }
            }
        }
        return img;
    }

    /** Writes image {@code s} of {@code batch} as PNG. */
    public static void writePng(ImageBatch batch, int s, Path path) throws IOException {
        ImageIO.write(toImage(batch, s), "png", path.toFile());
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
