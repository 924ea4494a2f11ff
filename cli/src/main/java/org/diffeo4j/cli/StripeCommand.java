package org.diffeo4j.cli;

import org.diffeo4j.report.Files2;
import org.diffeo4j.stripe.StripeCell;
import org.diffeo4j.stripe.StripeCellLog;
import org.diffeo4j.stripe.StripeCells;
import org.diffeo4j.stripe.StripeLabel;
import org.diffeo4j.stripe.StripeResult;
import org.diffeo4j.stripe.StripeSpec;
import org.diffeo4j.stripe.StripeSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code diffeo stripe}: the stripe model of Section 6 (Fig. 7): R_f of a one-hidden-layer net trained
 * in the feature regime against the training-set size P. Parses, then delegates to
 * {@link StripeSweep}, {@link StripeReport} and {@link StripeFigures}; docs/stripe.md has the model.
 */
@Command(name = "stripe", mixinStandardHelpOptions = true,
        description = {"Stripe model (Section 6, Fig. 7): Gaussian points in d dimensions labelled by stripes along x_0,",
                "a one-hidden-layer ReLU net trained until it fits them (feature regime), and R_f of Eq. 6",
                "(noise in the invariant directions over isotropic noise of the same norm) against P."})
final class StripeCommand implements Callable<Integer> {
    @Option(names = "--dim", defaultValue = "30", paramLabel = "D", description = "Dimension d (>= 2). Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--train-sizes", defaultValue = "256,512,1024,2048,4096", paramLabel = "LIST",
            description = "Training-set sizes P (>= 2). Default: ${DEFAULT-VALUE}.")
    String trainSizes;

    @Option(names = "--seeds", defaultValue = "4", paramLabel = "K", description = "Seeds 0..K-1 per P, log-averaged. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--width", defaultValue = "64", paramLabel = "H", description = "Hidden neurons. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--noise-norm", defaultValue = "1", paramLabel = "S", description = "|nu| = |eta| in Eq. 6. Default: ${DEFAULT-VALUE}.")
    double noiseNorm;

    @Option(names = "--test", defaultValue = "10000", paramLabel = "N", description = "Test points. Default: ${DEFAULT-VALUE}.")
    int test;

    @Option(names = "--out", paramLabel = "DIR", description = "Write stripe.json, stripe.csv, the two figures and the resume log here.")
    Path out;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FMT", description = "table or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be table or json, found '" + format + "'");
        }
        StripeSpec s = stripeSpec();
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        StripeSweep.CellStore store = StripeSweep.NONE;
        StripeCellLog log = null;
        if (out != null) {
            Files.createDirectories(out);
            log = new StripeCellLog(out.resolve("stripe.jsonl"), s.cellKey());
            store = log;
        }
        int threads = Runtime.getRuntime().availableProcessors();
        List<StripeCell> cells;
        try (Progress p = new Progress(err, "stripe", (long) s.trainSizes().length * s.seeds())) {
            cells = StripeSweep.run(s, threads, store, p::set);
        }
        int reused = log == null ? 0 : log.reused();
        if (reused > 0) {
            err.println("note: " + reused + " finished cell(s) taken from " + out.resolve("stripe.jsonl") + " (same parameters)");
        }
        StripeResult result = StripeResult.of(s, cells);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String json = StripeReport.json(result, new StripeReport.Provenance(started, seconds, threads, reused,
                new DiffeoCli.Version().getVersion()[0]));
        if (out != null) {
            Files2.writeString(out.resolve("stripe.json"), json);
            Files2.writeString(out.resolve("stripe.csv"), StripeReport.csv(result));
            int pFig = StripeFigures.figureTrainSize(s.trainSizes());
            StripeFigures.plane(StripeCells.train(s, pFig, 0)).writePng(out.resolve("stripe_plane.png"), 760, 640);
            StripeFigures.rf(result).writePng(out.resolve("stripe_rf.png"), 860, 620);
        }
        stdout.print(format.equals("json") ? json : StripeReport.table(result));
        if (out != null && format.equals("table")) {
            stdout.printf("wrote stripe.json, stripe.csv, stripe_plane.png, stripe_rf.png to %s (%.1f s)%n", out, seconds);
        }
        stdout.flush();
        return 0;
    }

    /** The sweep from the options (validated by {@link StripeSpec}). */
    StripeSpec stripeSpec() {
        if (trainSizes.isBlank()) {
            throw new IllegalArgumentException("--train-sizes must be a non-empty list like 512,1024, found ''");
        }
        return new StripeSpec(dim, Lists.ints("--train-sizes", trainSizes), seeds, width, noiseNorm, test,
                StripeLabel.balanced(), StripeSpec.DEFAULT_TRAINING);
    }
}
