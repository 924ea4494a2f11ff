package org.diffeo4j.cli;

import com.google.gson.GsonBuilder;
import org.diffeo4j.field.PhaseDiagram;
import org.diffeo4j.field.Temperatures;
import org.diffeo4j.report.Figure;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.Plot;
import org.diffeo4j.report.Plots;
import org.diffeo4j.report.Series;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code diffeo phase}: probability of a diffeomorphism over a (T, c) grid (Section 2.2, Appendix B). */
@Command(name = "phase", mixinStandardHelpOptions = true,
        description = {"Empirical probability that a drawn field is a diffeomorphism over a (T, c) grid,",
                "with the delta = 1/2 and delta = 1 lines from measured displacements and the T_max line."})
final class PhaseCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "32", description = "Image side n. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--cuts", defaultValue = "2,3,4,6,8,11,16,23,32,45", paramLabel = "LIST", description = "Cut-offs. Default: ${DEFAULT-VALUE}.")
    String cuts;

    @Option(names = "--temperatures", defaultValue = "1e-6:1:25", paramLabel = "LIST",
            description = "A list, or MIN:MAX:COUNT log-spaced. Default: ${DEFAULT-VALUE}.")
    String temperatures;

    @Option(names = "--samples", defaultValue = "500", description = "Fields per cell. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--out", defaultValue = "out/phase", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PhaseDiagram.Spec s = new PhaseDiagram.Spec(size, Lists.ints("--cuts", cuts), Lists.doubles("--temperatures", temperatures), samples, seed);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, found " + t);
        }
        long t0 = System.nanoTime();
        PhaseDiagram.Result r;
        try (Progress p = new Progress(err, "phase", (long) s.cuts().length * samples)) {
            r = PhaseDiagram.compute(s, t, p::set);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files2.writeString(out.resolve("phase.csv"), csv(r));
        Files2.writeString(out.resolve("phase.json"), json(r, seconds));
        chart(r).write(out.resolve("phase.png"));
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

    private static String json(PhaseDiagram.Result r, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "phase");
        m.put("date", Instant.now().toString());
        m.put("size", r.spec().size());
        m.put("cuts", r.spec().cuts());
        m.put("temperatures", r.spec().temperatures());
        m.put("samples", r.spec().samples());
        m.put("seed", r.spec().seed());
        m.put("probability_by_cut", r.probability());
        m.put("delta_per_sqrtT_measured", r.deltaPerRootT());
        m.put("delta_per_sqrtT_exact", r.deltaPerRootTExact());
        m.put("T_delta_half", r.temperatureAt(0.5));
        m.put("T_delta_one", r.temperatureAt(1.0));
        m.put("criterion", "det(I - grad tau) > 0 at every pixel of the n x n grid (Appendix B)");
        m.put("java", Runtime.version().toString());
        m.put("seconds", seconds);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(m) + "\n";
    }
}
