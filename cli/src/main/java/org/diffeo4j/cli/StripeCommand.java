package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.report.Plots;
import org.diffeo4j.run.Journal;
import org.diffeo4j.run.Provenance;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.stripe.StripeCell;
import org.diffeo4j.stripe.StripeCells;
import org.diffeo4j.stripe.StripeLabel;
import org.diffeo4j.stripe.StripeResult;
import org.diffeo4j.stripe.StripeSpec;
import org.diffeo4j.stripe.StripeSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code diffeo stripe}: the stripe model of Section 6 (Fig. 7): R_f of a one-hidden-layer net trained
 * in the feature regime against the training-set size P. Parses, then delegates to
 * {@link StripeSweep}, {@link StripeReport} and {@link StripeFigures}; docs/stripe.md has the model.
 */
@Command(name = "stripe", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Stripe model (Section 6, Fig. 7): Gaussian points in d dimensions labelled by stripes along x_0.",
                "A one-hidden-layer ReLU net is trained until it fits them (feature regime).",
                "R_f of Eq. 6 (noise in the invariant directions over isotropic noise of the same norm) is measured against P."})
final class StripeCommand implements Callable<Integer> {
    /** The resume log of finished (P, seed) cells in --out. */
    static final String LOG = "stripe.jsonl";

    @Option(names = "--dim", defaultValue = "30", paramLabel = "N", description = "Dimension d (>= 2). Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--train-sizes", defaultValue = "256,512,1024,2048,4096", paramLabel = "LIST",
            description = "Training-set sizes P (>= 2). Default: ${DEFAULT-VALUE}.")
    String trainSizes;

    @Option(names = "--seeds", defaultValue = "4", paramLabel = "N", description = "Seeds 0..N-1 per P, log-averaged. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--width", defaultValue = "64", paramLabel = "N", description = "Hidden neurons. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--noise-norm", defaultValue = "1", paramLabel = "X", description = "|nu| = |eta| in Eq. 6. Default: ${DEFAULT-VALUE}.")
    double noiseNorm;

    @Option(names = "--test", defaultValue = "10000", paramLabel = "N", description = "Test points. Default: ${DEFAULT-VALUE}.")
    int test;

    @Option(names = "--out", paramLabel = "DIR", description = "Write stripe.json, stripe.csv, the two figures and the resume log here.")
    Path out;

    @Option(names = "--format", defaultValue = "table", paramLabel = "NAME", description = "table, or json (one JSON object on stdout). Default: ${DEFAULT-VALUE}.")
    String format;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Provenance.Builder prov = Provenance.start("stripe");
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw org.diffeo4j.validate.Checks.invalid("--format", "table or json", "'" + format + "'");
        }
        StripeSpec s = stripeSpec();
        long t0 = System.nanoTime();
        if (out != null) {
            RunFolder.check(out, "--out", 2_000_000L);
        }
        int t = threads.count();
        List<StripeCell> cells;
        StripeResult result;
        String json;
        double seconds;
        int reused;
        try (RunFolder folder = out == null ? null : RunFolder.open(out, "--out", "stripe", RunKeys.sha256("stripe v1|" + s.cellKey()),
                List.of(LOG), true, prov.started())) {
            Journal log = folder == null ? null : StripeSweep.openJournal(folder.dir().resolve(LOG));
            long total = (long) s.trainSizes().length * s.seeds();
            java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
            StripeSweep.CellStore store = log == null ? StripeSweep.NONE : counting(StripeSweep.journalled(log, s.cellKey()), taken);
            // A signal ends the sweep at once (cells in flight are lost, finished ones are in the log): say what was saved, as measure does.
            Runnable say = () -> {
                // what the journal file holds now: a cell whose line is written counts, even if its append had not returned
                long inLog = folder == null ? 0 : Journal.wholeLines(folder.dir().resolve(LOG));
                err.println("interrupted: " + inLog + " of " + total + " cells saved" + (folder == null
                        ? " (none kept: no --out); add --out DIR to make a run resumable"
                        : " in " + folder.dir().resolve(LOG) + "; rerun the same command to resume"));
                err.flush();
            };
            Interruption.onSignal(say);
            try (Progress p = new Progress(err, "stripe", "cells", total)) {
                cells = StripeSweep.run(s, t, store, p::set);
            } finally {
                Interruption.forget(say);
            }
            reused = taken.get();
            if (reused > 0) {
                err.println("note: " + reused + " finished cell(s) taken from " + out.resolve(LOG) + " (same parameters)");
            }
            result = StripeResult.of(s, cells);
            seconds = (System.nanoTime() - t0) / 1e9;
            Provenance p = StripeReport.provenance(prov, s, t, reused);
            json = StripeReport.json(result, p);
            if (folder != null) {
                folder.write("stripe.json", json);
                folder.write("stripe.csv", StripeReport.csv(result));
                int pFig = StripeFigures.figureTrainSize(s.trainSizes());
                folder.writeFigure("stripe_plane.png", Plots.figure(StripeFigures.plane(StripeCells.train(s, pFig, 0)), 860, 640));
                folder.writeFigure("stripe_rf.png", Plots.figure(StripeFigures.rf(result), 900, 620));
                folder.commit(p);
            }
        }
        stdout.print(format.equals("json") ? json : StripeReport.table(result));
        if (out != null && format.equals("table")) {
            stdout.printf("wrote stripe.json, stripe.csv, stripe_plane.png/.svg, stripe_rf.png/.svg to %s (%.1f s)%n", out, seconds);
        }
        stdout.flush();
        return 0;
    }

    /** The sweep from the options (validated by {@link StripeSpec}). */
    StripeSpec stripeSpec() {
        if (trainSizes.isBlank()) {
            throw new BadInputException("--train-sizes must be a non-empty list like 512,1024, found ''");
        }
        return new StripeSpec(dim, Lists.ints("--train-sizes", trainSizes), seeds, width, noiseNorm, test,
                StripeLabel.balanced(), StripeSpec.DEFAULT_TRAINING);
    }

    /** {@code log}, counting the cells taken from it into {@code taken}. */
    private static StripeSweep.CellStore counting(StripeSweep.CellStore log, java.util.concurrent.atomic.AtomicInteger taken) {
        return new StripeSweep.CellStore() {
            @Override
            public java.util.Optional<StripeCell> find(int trainSize, int seed) {
                java.util.Optional<StripeCell> c = log.find(trainSize, seed);
                c.ifPresent(x -> taken.incrementAndGet());
                return c;
            }

            @Override
            public void finished(StripeCell cell) {
                log.finished(cell);
            }
        };
    }
}
