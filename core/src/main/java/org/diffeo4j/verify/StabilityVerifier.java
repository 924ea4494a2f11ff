package org.diffeo4j.verify;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.DenseMlp;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.StabilityReplay;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a stability reference file (../shared/golden/stability): builds the file's MLP
 * (in -> hidden tanh|relu -> out, sizes from {@code b1}, {@code b2}, W row-major [out][in]), and for
 * every case replays the protocol with the case's coefficients and noise (T, or delta by Eq. 3;
 * median unless the file or case says {@code "average": "mean"}), comparing the displacement norms
 * when given, deno, D, G, R within {@link Tolerances#STATISTIC_RTOL}.
 */
public final class StabilityVerifier {
    private StabilityVerifier() {
    }

    /** One case's comparisons, named "case k (c=3, linear)". */
    public record CaseCheck(String name, List<Comparison> comparisons) {
        public boolean passed() {
            return comparisons.stream().allMatch(Comparison::passed);
        }
    }

    /** All cases of one file on one backend. */
    public static List<CaseCheck> verify(ReferenceFile file, DiffeoBackend backend) {
        if (file.kind() != ReferenceFile.Kind.STABILITY) {
            throw new BadInputException(file.name() + " must be a stability file, found " + file.kind());
        }
        JsonObject o = file.json();
        String f = file.name();
        double[] shape = ReferenceFile.array(o, "image_shape", f);
        ImageBatch images = new ImageBatch((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3],
                DeformVerifier.toFloat(ReferenceFile.array(o, "images", f)));
        DenseMlp mlp = mlp(o, f, images);
        Average average = o.has("average") ? Average.parse(o.get("average").getAsString()) : Average.MEDIAN;
        List<CaseCheck> out = new ArrayList<>();
        int k = 0;
        for (JsonElement e : o.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int cut = (int) ReferenceFile.number(c, "cut", f);
            Interpolation interp = Interpolation.parse(c.get("interp").getAsString());
            CoefficientBatch z = CoefficientBatch.of(cut, ReferenceFile.array(c, "z_u", f), ReferenceFile.array(c, "z_v", f));
            double t = c.has("T") ? ReferenceFile.number(c, "T", f)
                    : Temperatures.temperature(ReferenceFile.number(c, "delta", f), cut, Math.max(images.height(), images.width()));
            Average avg = c.has("average") ? Average.parse(c.get("average").getAsString()) : average;
            StabilityReplay.Result r = StabilityReplay.replay(mlp, backend, images, z, t, interp, avg, ReferenceFile.array(c, "noise", f));
            double rtol = Tolerances.STATISTIC_RTOL;
            List<Comparison> cs = new ArrayList<>();
            if (c.has("displacement_norms")) {
                cs.add(Comparison.of("norms", ReferenceFile.array(c, "displacement_norms", f), r.displacementNorms(), 0, rtol));
            }
            cs.add(Comparison.scalar("deno", ReferenceFile.number(c, "deno", f), r.output().deno(), 0, rtol));
            cs.add(Comparison.scalar("D", ReferenceFile.number(c, "D", f), r.output().d(), 0, rtol));
            cs.add(Comparison.scalar("G", ReferenceFile.number(c, "G", f), r.output().g(), 0, rtol));
            cs.add(Comparison.scalar("R", ReferenceFile.number(c, "R", f), r.output().r(), 0, rtol));
            out.add(new CaseCheck("case " + k++ + " (c=" + cut + ", " + interp.referenceName() + ")", cs));
        }
        return out;
    }

    /** The file's MLP: W1 [hidden][in], b1, tanh, W2 [out][hidden], b2. */
    static DenseMlp mlp(JsonObject o, String f, ImageBatch images) {
        float[] w1 = DeformVerifier.toFloat(ReferenceFile.array(o, "W1", f)), b1 = DeformVerifier.toFloat(ReferenceFile.array(o, "b1", f));
        float[] w2 = DeformVerifier.toFloat(ReferenceFile.array(o, "W2", f)), b2 = DeformVerifier.toFloat(ReferenceFile.array(o, "b2", f));
        int in = images.sampleSize(), hidden = b1.length, outputs = b2.length;
        // The hidden non-linearity is named in the "mlp" text ("784 -> 32 tanh -> 10"); tanh if absent.
        String text = o.has("mlp") ? o.get("mlp").getAsString().toLowerCase(java.util.Locale.ROOT) : "tanh";
        DenseMlp.Act act = text.contains("relu") ? DenseMlp.Act.RELU : DenseMlp.Act.TANH;
        return new DenseMlp(new int[]{images.channels(), images.height(), images.width()}, List.of(
                new DenseMlp.Dense("hidden", in, hidden, w1, b1, act),
                new DenseMlp.Dense("output", hidden, outputs, w2, b2, DenseMlp.Act.IDENTITY)));
    }
}
