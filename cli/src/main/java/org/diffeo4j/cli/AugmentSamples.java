package org.diffeo4j.cli;

import com.google.gson.GsonBuilder;
import org.diffeo4j.augment.Applied;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code diffeo deform --augment SPEC}: K samples of the augmentation per input image (input k,
 * sample r is image {@code k*K + r} of epoch 0), written as PNGs, one sheet (a row per input) and
 * {@code augment.json} with every image's replay record and the rejection count, through the run
 * folder (written under temporary names, renamed on commit).
 */
final class AugmentSamples {
    private AugmentSamples() {
    }

    static int run(AugmentSpec augSpec, List<InputImages.Named> inputs, int count, long seed, RunFolder folder, Path out,
                   DiffeoBackend backend, PrintWriter stdout, List<String> inputNames) throws java.io.IOException {
        long t0 = System.nanoTime();
        DiffeoAugment aug = new DiffeoAugment(augSpec, seed);
        Map<String, Object> pending = new LinkedHashMap<>();
        List<Map<String, Object>> records = new ArrayList<>();
        AugmentBatch.Stats total = new AugmentBatch.Stats(0, 0, 0, 0);
        BufferedImage[][] sheet = new BufferedImage[inputs.size()][count];
        for (int k = 0; k < inputs.size(); k++) {
            ImageBatch one = inputs.get(k).image().toHeap();
            ImageBatch reps = repeat(one, count);
            ImageBatch deformed = reps.like();
            try (AugmentBatch batch = aug.prepare(0, (long) k * count, count, one.height(), one.width())) {
                batch.imagesInto(backend, reps, deformed);
                total = total.plus(batch.stats());
                for (int r = 0; r < count; r++) {
                    BufferedImage png = ImageFiles.toImage(deformed, r);
                    sheet[k][r] = png;
                    pending.put(inputs.get(k).stem() + "_a" + r + ".png", png);
                    records.add(record(inputs.get(k).stem(), r, batch.applied().get(r)));
                }
            }
        }
        pending.put("augment.png", Sheet.render(sheet));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "deform --augment");
        m.put("date", Instant.now().toString());
        m.put("inputs", inputNames);
        m.put("augment", augSpec.format());
        m.put("seed", seed);
        m.put("stream_addresses", "input k, sample r = image k*count+r of epoch 0; address and streams in docs/augment.md");
        m.put("images", records);
        m.put("fields_drawn", total.fieldsDrawn());
        m.put("fields_rejected", total.fieldsRejected());
        m.put("rejection_rate", total.rejectionRate());
        m.put("temperature_lowered", total.temperatureLowered());
        m.put("backend", backend.name());
        m.put("device", backend.device());
        m.put("java", Runtime.version().toString());
        m.put("seconds", seconds);
        pending.put("augment.json", new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(m) + "\n");
        for (Map.Entry<String, Object> e : pending.entrySet()) {
            if (e.getValue() instanceof BufferedImage bi) {
                folder.writePng(e.getKey(), bi);
            } else {
                folder.write(e.getKey(), (String) e.getValue());
            }
        }
        folder.commit();
        stdout.printf("wrote %d file(s) to %s (%d image(s) x %d augmented sample(s), %s, %d of %d fields rejected, backend %s, %.2f s)%n",
                pending.size(), out, inputs.size(), count, augSpec.format(), total.fieldsRejected(), total.fieldsDrawn(),
                backend.name(), seconds);
        return 0;
    }

    private static Map<String, Object> record(String stem, int r, Applied a) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("image", stem);
        e.put("sample", r);
        e.put("epoch", a.epoch());
        e.put("index", a.image());
        e.put("cut", a.cut());
        e.put("T", a.temperature());
        e.put("T_drawn", a.drawnTemperature());
        e.put("address", Long.toUnsignedString(a.address()));
        e.put("attempts", a.attempts());
        e.put("halvings", a.halvings());
        return e;
    }

    private static ImageBatch repeat(ImageBatch one, int k) {
        float[] d = new float[k * one.sampleSize()];
        for (int r = 0; r < k; r++) {
            System.arraycopy(one.data(), 0, d, r * one.sampleSize(), one.sampleSize());
        }
        return new ImageBatch(k, one.channels(), one.height(), one.width(), d);
    }

    /** The sheet, kept out of the command's method signatures (see DeformCommand.GridFigure). */
    static final class Sheet {
        private Sheet() {
        }

        static BufferedImage render(BufferedImage[][] cells) {
            int w = 0, h = 0, gap = 4;
            for (BufferedImage[] row : cells) {
                for (BufferedImage c : row) {
                    w = Math.max(w, c.getWidth());
                    h = Math.max(h, c.getHeight());
                }
            }
            // small inputs (MNIST) are drawn at least 96 px wide so the sheet is readable
            int scale = Math.max(1, 96 / Math.max(w, 1));
            int cols = cells[0].length;
            BufferedImage out = new BufferedImage(cols * (w * scale + gap) + gap, cells.length * (h * scale + gap) + gap,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int r = 0; r < cells.length; r++) {
                for (int c = 0; c < cols; c++) {
                    g.drawImage(cells[r][c], gap + c * (w * scale + gap), gap + r * (h * scale + gap),
                            cells[r][c].getWidth() * scale, cells[r][c].getHeight() * scale, null);
                }
            }
            g.dispose();
            return out;
        }
    }
}
