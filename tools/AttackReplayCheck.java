import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The replay check of docs/attack.md: runs MODEL on the images {@code deform --coefficients} wrote
 * (replayed.npy, every entry of the coefficients file in order, as the model read them) and compares its
 * outputs with the f(tau* x) that {@code diffeo attack} recorded in coefficients.json. Prints the largest
 * absolute difference and the largest difference relative to max(1, |f|), and exits 1 when that exceeds
 * 1e-5. Run from the project root after {@code ./mvnw -pl cli -am package -DskipTests}:
 * <pre>
 * java -cp "cli/target/diffeo.jar:cli/target/lib/*" tools/AttackReplayCheck.java MODEL OUT/coefficients.json REPLAY/replayed.npy
 * </pre>
 */
public class AttackReplayCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AttackReplayCheck MODEL COEFFICIENTS REPLAYED_NPY");
            System.exit(2);
        }
        ImageBatch images = npy(Path.of(args[2]));
        float[] f;
        try (Model m = Models.load(Path.of(args[0]))) {
            f = m.forward(images).data();
        }
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(args[1]))).getAsJsonObject();
        int k = f.length / images.count(), row = 0;
        double abs = 0, rel = 0;
        for (JsonElement c : root.getAsJsonArray("cells")) {
            for (JsonElement e : c.getAsJsonObject().getAsJsonArray("entries")) {
                JsonArray out = e.getAsJsonObject().getAsJsonArray("output");
                for (int u = 0; u < k; u++) {
                    double d = Math.abs(out.get(u).getAsFloat() - f[row * k + u]);
                    abs = Math.max(abs, d);
                    rel = Math.max(rel, d / Math.max(1, Math.abs(f[row * k + u])));
                }
                row++;
            }
        }
        if (row != images.count()) {
            System.err.println("replayed.npy holds " + images.count() + " images, the coefficients file " + row + " entries: replay every entry");
            System.exit(2);
        }
        System.out.printf("%d replays, %d outputs each: largest |difference| %.3g, relative to max(1, |f|) %.3g (allowed 1e-5)%n", row, k, abs, rel);
        System.exit(rel <= 1e-5 ? 0 : 1);
    }

    /** A float32 (N, C, H, W) NPY file, values as stored (normalised probes leave [0, 1]). */
    static ImageBatch npy(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        int n = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        String header = new String(b, 10, n, StandardCharsets.US_ASCII);
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape': (")));
        int[] s = Arrays.stream(dims.split(",")).map(String::strip).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
        FloatBuffer fb = ByteBuffer.wrap(b, 10 + n, b.length - 10 - n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        return new ImageBatch(s[0], s[1], s[2], s[3], v);
    }
}
