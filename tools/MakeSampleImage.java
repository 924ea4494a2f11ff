import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;

/**
 * Generates the bundled sample image: the centre 480x480 square of ../shared/data/images/grace_hopper.jpg
 * (512x600, public domain), face-centred, scaled to 128x128 with bicubic filtering.
 * Run: java tools/MakeSampleImage.java ../shared/data/images/grace_hopper.jpg cli/src/main/resources/org/diffeo4j/cli/sample.png
 */
public class MakeSampleImage {
    public static void main(String[] args) throws Exception {
        BufferedImage src = ImageIO.read(new File(args[0]));
        int side = 480, x0 = (src.getWidth() - side) / 2, y0 = 20;
        BufferedImage crop = src.getSubimage(x0, y0, side, side);
        BufferedImage out = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(crop, 0, 0, 128, 128, null);
        g.dispose();
        ImageIO.write(out, "png", new File(args[1]));
    }
}
