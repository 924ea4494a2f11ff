package org.diffeo4j.cli;

import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.stability.NoiseKind;
import org.diffeo4j.stability.StabilitySpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Resume keys, built from content and never from paths (a bundled file is unpacked to a new
 * temporary folder on every run; a data file may be moved or renamed): the SHA-256 of the model
 * file, the SHA-256 of the probe images as measured (after selection and normalisation, so it covers
 * the data, --probes, --random-probes, --mean and --std), and every parameter that changes a cell's
 * numbers. Cuts and strengths are not in the key: the log keys cells by (cut, T), so a rerun with
 * more cuts or strengths reuses the cells it shares with the earlier run.
 */
final class RunKeys {
    private RunKeys() {
    }

    /** The key of a measurement's cells. */
    static String measure(String modelSha256, String imagesSha256, StabilitySpec s, int probes, boolean randomProbes) {
        return sha256("measure v1|model " + modelSha256 + "|images " + imagesSha256 + "|probes " + probes + (randomProbes ? " random" : " first")
                + "|interp " + s.interp().cliName() + "|average " + s.average().cliName() + "|realisations " + s.realisations()
                + "|seed " + s.seed() + "|layers " + String.join(",", s.layers())
                // only a spectral run adds the noise, so Gaussian runs keep the keys (and logs) they had before --noise
                + (s.noise() == NoiseKind.GAUSSIAN ? "" : "|noise " + s.noise().cliName()));
    }

    /** SHA-256 of the shape and the float bits of {@code images}. */
    static String images(ImageBatch images) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * images.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(images.count()).putInt(images.channels()).putInt(images.height()).putInt(images.width());
        b.asFloatBuffer().put(images.data());
        return hex(b.array());
    }

    /** SHA-256 of {@code text}, hex. */
    static String sha256(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 must be available in every Java runtime", e);
        }
    }
}
