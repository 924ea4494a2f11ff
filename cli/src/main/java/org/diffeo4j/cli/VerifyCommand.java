package org.diffeo4j.cli;

import org.diffeo4j.backend.BackendProvider;
import org.diffeo4j.backend.Backends;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.verify.Comparison;
import org.diffeo4j.verify.DeformVerifier;
import org.diffeo4j.verify.ReferenceFile;
import org.diffeo4j.verify.StabilityVerifier;
import org.diffeo4j.verify.Tolerances;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code diffeo verify}: replays reference-vector files (docs/reference-vectors.md) on each
 * available backend and prints the largest errors and a verdict. Exit 0 only if everything checked
 * is within tolerance.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Replay reference-vector files on each backend; exit 0 only if all are within tolerance.",
                "With no FILE, checks the vectors shipped with diffeo4j (../shared/golden: deform and stability)."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Reference-vector JSON files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--backend", defaultValue = "all", paramLabel = "NAME",
            description = "java, native, cuda or all (every available one). Default: ${DEFAULT-VALUE}.")
    String backend;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<ReferenceFile> refs = files.isEmpty() ? bundled() : files.stream().map(f -> Inputs.tagged("FILE", () -> ReferenceFile.read(f))).toList();
        List<DiffeoBackend> backends = open(err);
        int failed = 0, checked = 0;
        try {
            for (ReferenceFile f : refs) {
                if (f.kind() == ReferenceFile.Kind.STABILITY) {
                    for (DiffeoBackend b : backends) {
                        boolean ok = stability(f, b, out);
                        checked++;
                        failed += ok ? 0 : 1;
                    }
                    continue;
                }
                for (DiffeoBackend b : backends) {
                    List<Comparison> cs = DeformVerifier.verify(f, b);
                    boolean ok = cs.stream().allMatch(Comparison::passed);
                    checked++;
                    failed += ok ? 0 : 1;
                    StringBuilder line = new StringBuilder(String.format("%-28s %-7s %s ", f.name(), b.name(), ok ? "PASS" : "FAIL"));
                    for (Comparison c : cs) {
                        line.append(String.format(Locale.ROOT, " %s %.1e", c.what(), c.maxAbsError()));
                    }
                    out.println(line);
                    for (Comparison c : cs) {
                        if (!c.passed()) {
                            out.println("    " + c.describe());
                        }
                    }
                }
            }
        } finally {
            backends.forEach(DiffeoBackend::close);
        }
        boolean ok = failed == 0 && checked > 0;
        out.printf(Locale.ROOT, "%s: %d checked, %d failed (tolerance %.0e absolute for fields, %.0e for images, %.0e relative for D, G, R)%n",
                ok ? "verified" : "NOT verified", checked, failed, Tolerances.FIELD_ATOL, Tolerances.IMAGE_ATOL, Tolerances.STATISTIC_RTOL);
        return ok ? 0 : DiffeoCli.EXIT_FAILURE;
    }

    /** Replays every case of a stability file (D, G, R within {@link Tolerances#STATISTIC_RTOL}); one line per case. */
    private static boolean stability(ReferenceFile f, DiffeoBackend b, PrintWriter out) {
        boolean all = true;
        for (StabilityVerifier.CaseCheck c : StabilityVerifier.verify(f, b)) {
            StringBuilder line = new StringBuilder(String.format("%-28s %-7s %s  %s", f.name(), b.name(), c.passed() ? "PASS" : "FAIL", c.name()));
            for (Comparison x : c.comparisons()) {
                line.append(String.format(Locale.ROOT, " %s %.1e", x.what(), x.maxAbsError()));
            }
            out.println(line);
            c.comparisons().stream().filter(x -> !x.passed()).forEach(x -> out.println("    " + x.describe()));
            all &= c.passed();
        }
        return all;
    }

    private List<DiffeoBackend> open(PrintWriter err) {
        List<DiffeoBackend> list = new ArrayList<>();
        if (!backend.equalsIgnoreCase("all")) {
            list.add(Backends.open(backend, threads.count(), note -> err.println("note: " + note)));
            return list;
        }
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = p.availability();
            if (a.available()) {
                list.add(p.open(threads.count()));
            } else {
                err.println("note: backend " + p.name() + " skipped: " + a.reason());
            }
        }
        return list;
    }

    private static List<ReferenceFile> bundled() throws IOException {
        List<ReferenceFile> refs = new ArrayList<>();
        try (InputStream idx = VerifyCommand.class.getResourceAsStream("reference-vectors/index.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(idx, StandardCharsets.UTF_8))) {
            for (String name; (name = r.readLine()) != null; ) {
                if (name.isBlank()) {
                    continue;
                }
                try (InputStream in = VerifyCommand.class.getResourceAsStream("reference-vectors/" + name.trim())) {
                    refs.add(ReferenceFile.parse(name.trim(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return refs;
    }
}
