package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.attack.BilinearDeformer;
import org.diffeo4j.attack.ModeVectors;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.ImageFiles;
import org.diffeo4j.data.Normalisation;
import org.diffeo4j.data.Npy;
import org.diffeo4j.report.AttackReport;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.report.StrictJson;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code deform --coefficients FILE}: replays the worst-case diffeos of {@code diffeo attack} on the
 * probes they were found for. Each probe is taken from the data, normalised as the attack normalised
 * it, and deformed by its coefficients on the attack's own path ({@link BilinearDeformer}), so
 * {@code replayed.npy} holds the very images whose outputs f(tau* x) the file records. Everything is
 * checked and computed before the folder is touched.
 */
final class CoefficientReplay {
    private CoefficientReplay() {
    }

    /**
     * @param images the data files given as IMAGE (at most one)
     * @param index the data indices to replay, or null for every entry of the file
     */
    static int run(Path file, List<Path> images, int[] index, Npy.Layout layout, Path out, PrintWriter stdout) throws IOException {
        long t0 = System.nanoTime();
        AttackReport.Coefficients c = Inputs.tagged("--coefficients", () -> AttackReport.readCoefficients(file));
        if (images.size() > 1) {
            throw new BadInputException("IMAGE must be the one data file the attack ran on with --coefficients, found " + images.size() + " files");
        }
        ImageBatch data;
        String source;
        if (images.isEmpty()) {
            if (!c.dataFile().startsWith("bundled:")) {
                throw new BadInputException("IMAGE must be the data file the attack ran on (" + c.dataFile() + "), found none");
            }
            try (Bundled bundle = new Bundled()) {
                data = Datasets.load(bundle.file(Bundled.IMAGES)).images();
            }
            source = c.dataFile();
        } else {
            Path f = images.get(0);
            data = Inputs.tagged("IMAGE", () -> Datasets.load(f, layout)).images();
            source = f.toString();
        }
        int[] chw = {data.channels(), data.height(), data.width()};
        if (!Arrays.equals(chw, c.chw())) {
            throw new BadInputException("IMAGE must hold images of shape " + Arrays.toString(c.chw()) + " as the attack's probes, found "
                    + data.shapeString() + " in " + source);
        }
        List<AttackReport.Replay> replays = new ArrayList<>();
        for (AttackReport.Replay r : c.replays()) {
            if (index == null || Arrays.stream(index).anyMatch(i -> i == r.index())) {
                replays.add(r);
            }
        }
        if (replays.isEmpty()) {
            throw new BadInputException("--index must name entries of " + file + " (its probes' data indices), found "
                    + Arrays.toString(index));
        }
        for (AttackReport.Replay r : replays) {
            if (r.index() >= data.count()) {
                throw new BadInputException("IMAGE must hold entry " + r.index() + " of the coefficients file (the attack's data), found "
                        + data.count() + " images in " + source);
            }
        }
        Normalisation norm = c.mean() == null ? null : new Normalisation(c.mean(), c.std());
        int size = data.sampleSize();
        float[] replayed = new float[replays.size() * size];
        Map<String, Object> pending = new LinkedHashMap<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        String stem = images.isEmpty() ? "probe" : images.get(0).getFileName().toString().replaceAll("\\.(npy|gz|bin)$", "")
                .replaceAll("[.-](idx\\d?-ubyte|ubyte)$", "");
        for (int k = 0; k < replays.size(); k++) {
            AttackReport.Replay r = replays.get(k);
            ImageBatch x = data.slice(r.index(), 1);
            if (norm != null) {
                x = norm.apply(x);
            }
            new BilinearDeformer(new ModeVectors(r.cut()), chw[0], chw[1], chw[2]).deform(x.data(), 0, r.zu(), r.zv(), 0, r.temperature(), replayed, k * size);
            String png = String.format(Locale.ROOT, "%s_%d_c%d_%s.png", stem, r.index(), r.cut(),
                    Double.isNaN(r.delta()) ? "T" + AttackCommand.number(r.temperature()) : "d" + AttackCommand.number(r.delta()));
            pending.put(png, ImageFiles.toImage(shown(Arrays.copyOfRange(replayed, k * size, (k + 1) * size), norm, chw), 0));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("row", k);
            e.put("cut", r.cut());
            e.put("delta", Double.isNaN(r.delta()) ? null : r.delta());
            e.put("T", r.temperature());
            e.put("probe", r.probe());
            e.put("index", r.index());
            e.put("png", png);
            listed.add(e);
        }
        ImageBatch all = new ImageBatch(replays.size(), chw[0], chw[1], chw[2], replayed);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "deform --coefficients");
        m.put("date", Instant.now().toString());
        m.put("coefficients", file.toString());
        m.put("data", source);
        m.put("normalisation", norm == null ? null : Map.of("mean", norm.mean(), "std", norm.std()));
        m.put("replayed_npy", "replayed.npy: the deformed probes as the model read them (normalised as the attack's probes when the file names a "
                + "normalisation), one row per entry of replays; PNGs show them in pixels");
        m.put("replays", listed);
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        String key = RunKeys.sha256("deform coefficients v1|" + RunKeys.sha256(Files.readString(file)) + "|" + RunKeys.images(data) + "|"
                + (index == null ? "all" : Arrays.toString(index)));
        try (RunFolder folder = RunFolder.open(out, "--out", "deform", key, List.of())) {
            folder.writeAll(pending);
            folder.write("replayed.npy", Npy.bytes(all));
            folder.write("deform.json", StrictJson.pretty(m, "deform's JSON"));
            folder.commit();
        }
        stdout.printf(Locale.ROOT, "wrote %d replayed probe(s) of %s (PNG each, replayed.npy, deform.json) to %s%n", replays.size(), file, out);
        return 0;
    }

    /** The image in pixels for a PNG: {@code v * std + mean} per channel when the attack normalised. */
    private static ImageBatch shown(float[] v, Normalisation norm, int[] chw) {
        float[] p = v.clone();
        if (norm != null) {
            int plane = chw[1] * chw[2];
            for (int ch = 0; ch < chw[0]; ch++) {
                double mu = norm.mean()[norm.mean().length == 1 ? 0 : ch], sd = norm.std()[norm.std().length == 1 ? 0 : ch];
                for (int q = 0; q < plane; q++) {
                    p[ch * plane + q] = (float) (p[ch * plane + q] * sd + mu);
                }
            }
        }
        return new ImageBatch(1, chw[0], chw[1], chw[2], p);
    }
}
