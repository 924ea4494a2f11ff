package org.diffeo4j.cli;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.TestImages;
import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.data.Npy;
import org.diffeo4j.report.FigureChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = DiffeoCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** An input error: exit 2, a first line starting with "error:", no stack trace. */
    static void assertInputError(Run r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    static boolean isEmpty(Path p) throws IOException {
        if (!Files.exists(p)) {
            return true;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void verifyChecksTheShippedVectors() {
        Run r = run("verify", "--backend", "java");
        assertEquals(0, r.code(), r.out() + r.err());
        // four deform files, and the stability file's four cases, one line each
        assertEquals(8, r.out().lines().filter(l -> l.contains(" java ") && l.contains("PASS")).count(), r.out());
        assertTrue(r.out().contains("verified: 5 checked, 0 failed (tolerance 1e-05 absolute for fields"), r.out());
    }

    @Test
    void verifyReadsDeformAndStabilityFiles() {
        Path golden = SharedFiles.root().resolve("golden");
        Run ok = run("verify", "--backend", "java", golden.resolve("deform/mnist_n28_c5_delta1.json").toString());
        assertEquals(0, ok.code(), ok.out());
        Run stab = run("verify", "--backend", "java", golden.resolve("stability/stability_seed1.json").toString());
        assertEquals(0, stab.code(), stab.out());
        assertEquals(4, stab.out().lines().filter(l -> l.contains(" java ") && l.contains("PASS")).count(), stab.out());
    }

    @Test
    void verifyFailsOnAWrongVector() throws IOException {
        String text = Files.readString(SharedFiles.root().resolve("golden/deform/mnist_n28_c3_delta1.json"));
        // shift the temperature by 1%: the fields, and so every output, must now disagree
        String bad = text.replaceFirst("\"T\": 0\\.00147", "\"T\": 0.00149");
        assertFalse(bad.equals(text), "test needs the T field to edit");
        Path f = dir.resolve("bad.json");
        Files.writeString(f, bad);
        Run r = run("verify", "--backend", "java", f.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("FAIL") && r.out().contains("expected"), r.out());
    }

    @Test
    void verifyNamesAnUnavailableBackendAndWhy() {
        assertInputError(run("verify", "--backend", "nonesuch"), "--backend must be one of");
        Optional<BackendProvider> missing = Backends.providers().stream().filter(p -> !p.availability().available()).findFirst();
        // only a machine with a GPU (and the native library) has every backend
        org.diffeo4j.Preconditions.gpu(missing.isPresent(), "every backend is available here (a GPU machine), so none can be named as unavailable");
        Run r = run("verify", "--backend", missing.get().name());
        assertInputError(r, "--backend " + missing.get().name() + " is not available: " + missing.get().availability().reason());
    }

    @Test
    void deformWithNoArgumentsWritesTheGrid() throws Exception {
        Path out = dir.resolve("d");
        Run r = run("deform", "--out", out.toString(), "--backend", "java");
        assertEquals(0, r.code(), r.err());
        FigureChecks.pngAndSvg(out.resolve("grid.png"), 400, 400);
        assertTrue(Files.exists(out.resolve("sample_d0.png")));
        String prov = Files.readString(out.resolve("deform.json"));
        assertTrue(prov.contains("\"seed\": 0") && prov.contains("\"backend\": \"java\""), prov);
    }

    @Test
    void deformReadsIdxEntriesAndCounts() {
        Path out = dir.resolve("m");
        Run r = run("deform", SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(), "--index", "0-2",
                "--count", "3", "--cut", "5", "--delta", "1.5", "--interp", "gaussian", "--no-grid", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("t10k-images-idx3-ubyte_2_d2.png")), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--cut=0", "--temperature=-1", "--cut=1", "--interp=cubic", "--count=0"})
    void badParametersAreInputErrorsAndWriteNothing(String bad) throws IOException {
        Path out = dir.resolve("bad");
        Run r = run("deform", bad, "--out", out.toString());
        String expected = switch (bad) {
            case "--cut=0" -> "--cut must be >= 1, found 0";
            case "--temperature=-1" -> "--temperature must be a finite number > 0, found -1.0";
            case "--cut=1" -> "--cut must be >= 2 for a temperature from delta (ln 1 = 0); give --temperature instead, found 1";
            case "--interp=cubic" -> "--interp must be bilinear, gaussian or nearest, found 'cubic'";
            default -> "--count must be >= 1, found 0";
        };
        assertInputError(r, expected);
        assertTrue(isEmpty(out), "nothing may be written on bad input");
    }

    @Test
    void badFilesAreInputErrorsAndWriteNothing() throws IOException {
        Path out = dir.resolve("bad");
        assertInputError(run("deform", dir.resolve("missing.png").toString(), "--out", out.toString()), "IMAGE file");
        Path corrupt = dir.resolve("corrupt.png");
        Files.writeString(corrupt, "this is not a PNG");
        assertInputError(run("deform", corrupt.toString(), "--out", out.toString()), "image must be PNG or JPEG");
        ImageBatch nan = TestImages.random(2, 1, 8, 8, 1);
        nan.data()[70] = Float.NaN;
        Path npy = dir.resolve("nan.npy");
        Npy.write(npy, nan);
        assertInputError(run("deform", npy.toString(), "--index", "1", "--out", out.toString()), "pixels must be finite numbers, found NaN");
        Path idx = dir.resolve("cut.idx");
        Files.write(idx, new byte[]{0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        assertInputError(run("deform", idx.toString(), "--out", out.toString()), "corrupt IDX file");
        assertInputError(run("deform", SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(),
                "--index", "5000", "--out", out.toString()), "--index must lie in [0, 1999]");
        assertTrue(isEmpty(out), "nothing may be written on bad input");
    }

    @Test
    void verboseShowsTheStackTrace() {
        Run r = run("deform", "--cut=0", "--verbose", "--out", dir.resolve("v").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("deform", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: Unknown option"), r.err());
    }

    @Test
    void phaseWritesFigureAndTables() throws Exception {
        Path out = dir.resolve("p");
        Run r = run("phase", "--size", "16", "--cuts", "2,4,8", "--temperatures", "1e-5:1:6", "--samples", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        FigureChecks.pngAndSvg(out.resolve("phase.png"), 600, 400);
        assertEquals(1 + 3 * 6, Files.readAllLines(out.resolve("phase.csv")).size());
        assertTrue(Files.readString(out.resolve("phase.json")).contains("T_delta_one"));
        assertInputError(run("phase", "--samples", "0", "--out", out.toString()), "--samples must be >= 1, found 0");
    }

    /**
     * picocli reflects over every declared field and method of every command when the command line
     * is built, so an AWT type in one of them makes all subcommands need java.desktop; verify and
     * measure must start on a headless runtime without it (the GPU bundle's jlink runtime).
     */
    @Test
    void commandSignaturesNeedNoAwt() {
        for (Class<?> c : new Class<?>[]{DiffeoCli.class, MeasureCommand.class, DeformCommand.class, PhaseCommand.class,
                VerifyCommand.class, BackendOptions.class}) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                Stream.concat(Stream.of(m.getReturnType()), Stream.of(m.getParameterTypes())).forEach(t ->
                        assertFalse(t.getName().startsWith("java.awt"), c.getSimpleName() + "." + m.getName() + " mentions " + t.getName()));
            }
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                assertFalse(f.getType().getName().startsWith("java.awt"), c.getSimpleName() + "." + f.getName() + " is a " + f.getType().getName());
            }
        }
    }
}
