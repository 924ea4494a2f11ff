package org.diffeo4j.cli;

import org.diffeo4j.field.PhaseDiagram;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.report.Figure;
import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code diffeo phase}: probability of a diffeomorphism over a (T, c) grid (Section 2.2, Appendix B). */
@Command(name = "phase", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Empirical probability that a drawn field is a diffeomorphism, over a grid of cut-offs c and temperatures T.",
                "The figure adds the delta = 1/2 and delta = 1 lines (measured displacements) and the T_max line."})
final class PhaseCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "32", paramLabel = "N", description = "Image side n. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--cuts", defaultValue = "2,3,4,6,8,11,16,23,32,45", paramLabel = "LIST",
            description = "Cut-offs c (beyond n - 1 the modes alias on the grid; the paper's range is kept). Default: ${DEFAULT-VALUE}.")
    String cuts;

    @Option(names = "--temperatures", defaultValue = "1e-6:1:25", paramLabel = "LIST",
            description = "Temperatures T, or MIN:MAX:COUNT log-spaced. Default: ${DEFAULT-VALUE}.")
    String temperatures;

    @Option(names = "--samples", defaultValue = "500", paramLabel = "N", description = "Fields per cell. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", defaultValue = "out/phase", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Provenance.Builder prov = Provenance.start("phase");
        PrintWriter err = spec.commandLine().getErr();
        PhaseDiagram.Spec s = new PhaseDiagram.Spec(size, Lists.ints("--cuts", cuts), Lists.doubles("--temperatures", temperatures), samples, seed);
        int t = threads.count();
        RunFolder.check(out, "--out", 4_000_000L);
        long t0 = System.nanoTime();
        PhaseDiagram.Result r;
        try (RunFolder folder = RunFolder.open(out, "--out", "phase", RunKeys.sha256("phase v1|" + size + "|" + cuts + "|" + temperatures
                + "|" + samples + "|" + seed), List.of(), true, prov.started())) {
            // Each (cut, sample) pair draws one field and checks it at every temperature.
            int fieldsPerPair = s.temperatures().length;
            try (Progress p = new Progress(err, "phase", "fields", (long) s.cuts().length * samples * fieldsPerPair)) {
                r = PhaseDiagram.compute(s, t, done -> p.set((long) done * fieldsPerPair));
            }
            Provenance p = prov.threads(t).seed(seed).finish();
            folder.write("phase.csv", csv(r));
            folder.write("phase.json", json(r, p));
            folder.writeFigure("phase.png", chart(r));
            folder.commit(p);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().printf("wrote phase.png, phase.svg, phase.csv, phase.json to %s (%d cuts x %d temperatures x %d samples, %.1f s)%n",
                out, s.cuts().length, s.temperatures().length, samples, seconds);
        return 0;
    }

    /** The heat map of P(diffeo) on log axes with the measured delta lines and T_max (Section 2.2). */
    static Figure chart(PhaseDiagram.Result r) {
        int[] cuts = r.spec().cuts();
        double[] x = new double[cuts.length], tmax = new double[cuts.length];
        for (int k = 0; k < cuts.length; k++) {
            x[k] = cuts[k];
            tmax[k] = cuts[k] >= 2 ? Temperatures.tMax(cuts[k]) : Double.NaN;
        }
        Plot p = new Plot("P(diffeomorphism): det(I - grad tau) > 0 at every pixel, n = " + r.spec().size() + ", "
                + r.spec().samples() + " fields per cell", Plot.Axis.log("cut-off c"), Plot.Axis.log("temperature T"),
                List.of(Series.line("delta = 1/2 (measured)", x, r.temperatureAt(0.5), new java.awt.Color(0x00bfff)),
                        Series.line("delta = 1 (measured)", x, r.temperatureAt(1.0), new java.awt.Color(0xff7f0e)),
                        Series.line("T_max = 4/(pi^3 c^2 ln c)", x, tmax, new java.awt.Color(0xd62728)).dashed().plain()),
                new Plot.HeatMap(x, r.spec().temperatures(), r.probability(), "P"));
        return Plots.figure(p, 980, 640);
    }

    private static String csv(PhaseDiagram.Result r) {
        StringBuilder b = new StringBuilder("cut,T,p_diffeo,samples\n");
        for (int c = 0; c < r.spec().cuts().length; c++) {
            for (int t = 0; t < r.spec().temperatures().length; t++) {
                b.append(r.spec().cuts()[c]).append(',').append(r.spec().temperatures()[t]).append(',')
                        .append(r.probability()[c][t]).append(',').append(r.spec().samples()).append('\n');
            }
        }
        return b.toString();
    }

    private static String json(PhaseDiagram.Result r, Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "phase");
        m.put("size", r.spec().size());
        m.put("cuts", r.spec().cuts());
        m.put("temperatures", r.spec().temperatures());
        m.put("samples", r.spec().samples());
        m.put("seed", r.spec().seed());
        m.put("probability_by_cut", r.probability());
        m.put("delta_per_sqrtT_measured", r.deltaPerRootT());
        m.put("delta_per_sqrtT_exact", r.deltaPerRootTExact());
        m.put("T_delta_half", nullable(r.temperatureAt(0.5)));
        m.put("T_delta_one", nullable(r.temperatureAt(1.0)));
        m.put("T_delta_null_means", "the measured displacement does not reach that delta within the temperature range");
        m.put("criterion", "det(I - grad tau) > 0 at every pixel of the n x n grid (Appendix B)");
        m.put("provenance", p.json());
        return StrictJson.pretty(m, "phase's JSON");
    }

    /** Strict JSON has no NaN: an undefined value is null (the JSON says what null means). */
    private static List<Double> nullable(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(Double.isFinite(x) ? x : null);
        }
        return out;
    }
}
