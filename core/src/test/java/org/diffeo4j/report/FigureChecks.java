package org.diffeo4j.report;

import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that written figures are what their names say: a PNG ImageIO reads, an SVG document. */
public final class FigureChecks {
    private FigureChecks() {
    }

    /** The PNG at {@code png} decodes, at least {@code minW x minH} and at most 4000 px a side; returns it. */
    public static BufferedImage png(Path png, int minW, int minH) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png + " has no PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(img, png + " does not decode");
        assertTrue(img.getWidth() >= minW && img.getHeight() >= minH && img.getWidth() <= 4000 && img.getHeight() <= 4000,
                png + " is " + img.getWidth() + "x" + img.getHeight() + ", expected at least " + minW + "x" + minH);
        return img;
    }

    /** {@code svg} parses as XML (no DTD fetched) with an {@code <svg>} root; returns the document. */
    public static Document svg(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        return d;
    }

    /** The PNG and the SVG beside it are valid, of the same size. */
    public static BufferedImage pngAndSvg(Path png, int minW, int minH) throws Exception {
        BufferedImage img = png(png, minW, minH);
        Document d = svg(Files.readString(Figure.svgBeside(png), StandardCharsets.UTF_8));
        assertEquals(img.getWidth() + "px", d.getDocumentElement().getAttribute("width"), "SVG width of " + png);
        assertEquals(img.getHeight() + "px", d.getDocumentElement().getAttribute("height"), "SVG height of " + png);
        return img;
    }

    /** Pixels of exactly {@code rgb}. */
    public static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff) ? 1 : 0;
            }
        }
        return n;
    }
}
