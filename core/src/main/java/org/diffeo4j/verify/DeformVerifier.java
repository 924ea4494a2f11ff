package org.diffeo4j.verify;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonObject;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.interp.Interpolation;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a deform reference file on a backend: synthesises the fields from the file's
 * coefficients, compares them with {@code dx}, {@code dy}, remaps the file's image through them with
 * every interpolation listed under {@code out}, and checks the closed-form scalars it carries.
 */
public final class DeformVerifier {
    private DeformVerifier() {
    }

    /** All comparisons for one file on one backend. */
    public static List<Comparison> verify(ReferenceFile file, DiffeoBackend backend) {
        if (file.kind() != ReferenceFile.Kind.DEFORM) {
            throw new BadInputException(file.name() + " must be a deform file, found " + file.kind());
        }
        JsonObject o = file.json();
        String f = file.name();
        int n = (int) ReferenceFile.number(o, "n", f);
        int cut = (int) ReferenceFile.number(o, "cut", f);
        double t = ReferenceFile.number(o, "T", f);
        int channels = o.has("channels") ? (int) ReferenceFile.number(o, "channels", f) : 1;
        CoefficientBatch coeffs = CoefficientBatch.of(cut, ReferenceFile.array(o, "z_u", f), ReferenceFile.array(o, "z_v", f));
        FieldBatch fields = backend.synthesize(coeffs, t, n, n);
        List<Comparison> out = new ArrayList<>();
        out.add(Comparison.of("dx", ReferenceFile.array(o, "dx", f), fields.dx(), Tolerances.FIELD_ATOL, 0));
        out.add(Comparison.of("dy", ReferenceFile.array(o, "dy", f), fields.dy(), Tolerances.FIELD_ATOL, 0));
        ImageBatch image = new ImageBatch(1, channels, n, n, toFloat(ReferenceFile.array(o, "image", f)));
        JsonObject outs = o.getAsJsonObject("out");
        for (String key : outs.keySet()) {
            Interpolation interp = Interpolation.parse(key);
            ImageBatch got = backend.remap(image, fields, interp);
            out.add(Comparison.of(key, ReferenceFile.array(outs, key, f), got.data(), Tolerances.IMAGE_ATOL, 0));
        }
        if (o.has("typical_displacement") && cut >= 2) {
            out.add(Comparison.scalar("typical_displacement", ReferenceFile.number(o, "typical_displacement", f),
                    Temperatures.delta(t, cut, n), 0, Tolerances.SCALAR_RTOL));
        }
        if (o.has("temperature_range") && cut >= 2) {
            out.add(Comparison.of("temperature_range", ReferenceFile.array(o, "temperature_range", f),
                    new double[]{Temperatures.tMin(cut, n), Temperatures.tMax(cut)}, 0, Tolerances.SCALAR_RTOL));
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
        }
        return f;
    }
}
