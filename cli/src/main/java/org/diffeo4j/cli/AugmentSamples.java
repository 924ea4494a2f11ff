package org.diffeo4j.cli;

import org.diffeo4j.augment.Applied;
import org.diffeo4j.augment.AugmentBatch;
import org.diffeo4j.augment.AugmentSpec;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.report.DeformGrid;
import org.diffeo4j.data.ImageFiles;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
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
                   DiffeoBackend backend, PrintWriter stdout, List<String> inputNames, Provenance.Builder prov) throws java.io.IOException {
        DiffeoAugment aug = new DiffeoAugment(augSpec, seed);
        Map<String, Object> pending = new LinkedHashMap<>();
        List<Map<String, Object>> records = new ArrayList<>();
        AugmentBatch.Stats total = new AugmentBatch.Stats(0, 0, 0, 0);
        ImageBatch[][] sheet = new ImageBatch[inputs.size()][count];
        for (int k = 0; k < inputs.size(); k++) {
            ImageBatch one = inputs.get(k).image().toHeap();
            ImageBatch reps = repeat(one, count);
            ImageBatch deformed = reps.like();
            try (AugmentBatch batch = aug.prepare(0, (long) k * count, count, one.height(), one.width())) {
                batch.imagesInto(backend, reps, deformed);
                total = total.plus(batch.stats());
                for (int r = 0; r < count; r++) {
                    BufferedImage png = ImageFiles.toImage(deformed, r);
                    sheet[k][r] = deformed.slice(r, 1);
                    pending.put(inputs.get(k).stem() + "_a" + r + ".png", png);
                    records.add(record(inputs.get(k).stem(), r, batch.applied().get(r)));
                }
            }
        }
        String[] rowLabels = new String[inputs.size()]; // the file names are in augment.json; labels must fit the margin
        for (int k = 0; k < rowLabels.length; k++) {
            rowLabels[k] = "input " + k;
        }
        String[] colLabels = new String[count];
        for (int r = 0; r < count; r++) {
            colLabels[r] = "sample " + r;
        }
        // small inputs (MNIST) are drawn at least 96 px wide so the sheet is readable
        pending.put("augment.png", DeformGrid.sheet("augmentation samples, seed " + seed + " (parameters in augment.json)", "augmented sample",
                "input", sheet, rowLabels, colLabels, Math.max(96, Math.max(sheet[0][0].width(), sheet[0][0].height()))));
        Provenance p = prov.detail("fields_drawn", total.fieldsDrawn()).detail("fields_rejected", total.fieldsRejected()).finish();
        double seconds = p.seconds();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "deform --augment");
        m.put("inputs", inputNames);
        m.put("augment", augSpec.format());
        m.put("seed", seed);
        m.put("stream_addresses", "input k, sample r = image k*count+r of epoch 0; address and streams in docs/augment.md");
        m.put("images", records);
        m.put("fields_drawn", total.fieldsDrawn());
        m.put("fields_rejected", total.fieldsRejected());
        m.put("rejection_rate", total.rejectionRate());
        m.put("temperature_lowered", total.temperatureLowered());
        m.put("provenance", p.json());
        pending.put("augment.json", StrictJson.pretty(m, "augment.json"));
        folder.writeAll(pending);
        folder.commit(p);
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
}
