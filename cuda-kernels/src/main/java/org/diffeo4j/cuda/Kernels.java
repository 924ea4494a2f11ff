package org.diffeo4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The compiled kernels in the jar (build-kernels.sh puts them there at {@code mvn package}): one
 * module per .cu file, as a fatbin (SASS for sm_80/sm_90 and compute_80 PTX) and as PTX.
 */
final class Kernels {
    static final String DIR = "/org/diffeo4j/cuda/kernels/";
    /** Every .cu file of src/main/cuda, by module name. */
    static final List<String> MODULES = List.of("basis", "deform", "distance", "draw", "noise", "remap", "synthesize");

    private Kernels() {
    }

    /** Why the kernels cannot be loaded ("kernels not built: ..."), or empty when every module is in the jar. */
    static Optional<String> missing() {
        byte[] notBuilt = resource("NOT_BUILT.txt");
        if (notBuilt != null) {
            return Optional.of("kernels not built: " + new String(notBuilt, StandardCharsets.UTF_8).strip());
        }
        for (String m : MODULES) {
            if (Kernels.class.getResource(DIR + m + ".fatbin") == null || Kernels.class.getResource(DIR + m + ".ptx") == null) {
                return Optional.of("kernels not built: " + m + ".fatbin/.ptx are not in the jar (build cuda-kernels with nvcc on the PATH)");
            }
        }
        return Optional.empty();
    }

    /** The fatbin of a module. */
    static byte[] fatbin(String module) {
        return require(module + ".fatbin");
    }

    /** The PTX of a module, NUL-terminated as cuModuleLoadData wants text images. */
    static byte[] ptx(String module) {
        byte[] text = require(module + ".ptx");
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    /** The nvcc that built the kernels, or why there are none. */
    static String provenance() {
        byte[] built = resource("BUILT.txt");
        return built != null ? new String(built, StandardCharsets.UTF_8).strip().replace('\n', ' ')
                : missing().orElse("unknown");
    }

    private static byte[] require(String name) {
        byte[] b = resource(name);
        if (b == null) {
            throw new IllegalStateException("kernels not built: " + name + " is not in the jar");
        }
        return b;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Kernels.class.getResourceAsStream(DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + name, e);
        }
    }
}
