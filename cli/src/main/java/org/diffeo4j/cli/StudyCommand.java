package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;

import org.diffeo4j.run.Journal;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.train.study.Shard;
import org.diffeo4j.train.study.ShardFolder;
import org.diffeo4j.train.study.StudyEngine;
import org.diffeo4j.train.study.StudyFile;
import org.diffeo4j.train.study.StudyRunner;
import org.diffeo4j.train.study.StudySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code diffeo study}: the paper's experiments as one resumable command, a grid over datasets x
 * architectures x train sizes x seeds (or a list of models) trained and measured; parses, then
 * delegates to {@link StudyRunner}. Format and outputs: docs/study.md.
 */
@Command(name = "study", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"Train and measure a grid of networks (datasets x architectures x train sizes x seeds), or measure a list of models.",
                "Writes DIR/cells.jsonl (one line per finished cell; a rerun continues), DIR/summary.json, DIR/summary.csv, DIR/figures/*.png."})
final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Study file (JSON, see docs/study.md).")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--plot-only", description = "Only redraw the summary and figures from DIR/cells.jsonl.")
    boolean plotOnly;

    @Option(names = "--shard", paramLabel = "I/N", description = {"Run only the I-th of N disjoint parts of the grid (unit i of the study's order goes to "
            + "part i mod N + 1), for batch schedulers; DIR records the shard and the study file's hash."})
    String shard;

    @Option(names = "--merge", paramLabel = "DIR", arity = "1..*", split = ",", description = {"Merge these finished shard folders of FILE "
            + "(all N, each once) into DIR, then write the summary and figures."})
    List<Path> merge;

    @Option(names = "--extend", description = {"Add to DIR the cells of the grid values this FILE has and DIR's study has not (seeds, train sizes, "
            + "architectures, datasets, augmentations, cuts, strengths); every setting the two share must be equal, so no cell is averaged with "
            + "cells of other settings. Without it, DIR must hold this very study (a rerun resumes it) or nothing."})
    boolean extend;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "NAME", description = {"Where the cells are computed: local (this JVM) or spark "
            + "(each unit a Spark task; needs the diffeo4j-spark module, which ./diffeo adds for this option; docs/study.md). Default: ${DEFAULT-VALUE}."})
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = {"Spark master for --engine spark (spark://HOST:PORT, yarn, k8s://..., local[N]). "
            + "Default: spark.master of the Spark configuration, else local[N] in this JVM with N = --threads."})
    String master;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        int t = threads.count();
        RunFolder.check(out, "--out", 20_000_000L);
        Shard part = shard == null ? null : Shard.parse(shard);
        if ((part != null ? 1 : 0) + (merge != null ? 1 : 0) + (plotOnly ? 1 : 0) > 1) {
            throw new BadInputException("--shard, --merge and --plot-only must be used one at a time, found more than one");
        }
        if (extend && (part != null || merge != null || plotOnly)) {
            throw new BadInputException("--extend must be used without --shard, --merge and --plot-only (a shard folder holds one shard of one "
                    + "study file), found one of them");
        }
        StudyEngine remote = engine(part != null || merge != null || plotOnly);
        // An engine reads the study itself: its locations may be URIs only its executors can read.
        StudyFile study = remote == null ? StudyFile.read(file) : null;
        String sha256 = part != null || merge != null ? ShardFolder.sha256(file) : null;
        StudyRunner runner = remote == null ? new StudyRunner(study, out, t, note -> err.println("note: " + note),
                part == null ? null : new ShardFolder(part, sha256, file.toString())).extend(extend) : null;
        try (StudyRunner held = runner) {
            return run(runner, remote, part, sha256, t, stdout, err);
        }
    }

    private int run(StudyRunner runner, StudyEngine remote, Shard part, String sha256, int t, PrintWriter stdout, PrintWriter err) throws Exception {
        StudySummary s = null;
        if (plotOnly) {
            runner.check(); // the folder holds this study: its summary is named after it
        }
        if (merge != null) {
            int n = runner.merge(merge, sha256);
            err.printf(Locale.ROOT, "note: merged %d cell lines from %d shard folders into %s%n", n, merge.size(), runner.cellsFile());
        } else if (!plotOnly) {
            if (remote == null) {
                runner.open(); // locked from here to the summary: a second study into DIR is refused, naming this process
            }
            Progress[] bar = new Progress[1];
            long t0 = System.nanoTime();
            StudyRunner.Listener listener = new StudyRunner.Listener() {
                @Override
                public void cell(int index, int total, String what) {
                    if (bar[0] != null) {
                        bar[0].close();
                        bar[0] = null;
                    }
                    err.println("[" + index + "/" + total + "] " + what);
                    err.flush();
                }

                @Override
                public void batch(int epoch, long done, long total, double loss, double ips) {
                    if (bar[0] == null) {
                        bar[0] = new Progress(err, "  train", "images", total);
                    }
                    bar[0].set(done, String.format(Locale.ROOT, " epoch %d loss %.4f %.0f img/s", epoch + 1, loss, ips));
                }
            };
            int computed, units;
            // A signal ends the study at once: finished units' cells are in cells.jsonl, a unit in training resumes from its
            // last finished epoch (runs/...): say so, as measure and stripe do.
            Path cellsFile = out.resolve("cells.jsonl");
            long linesBefore = Journal.wholeLines(cellsFile);
            Runnable say = () -> {
                err.println("interrupted: " + Journal.wholeLines(cellsFile) + " cell line(s) saved in " + cellsFile
                        + " (a unit in training resumes from its last finished epoch); rerun the same command to resume");
                err.flush();
            };
            Interruption.onSignal(say);
            try {
                if (remote == null) {
                    computed = runner.run(listener);
                    units = runner.units();
                } else {
                    StudyEngine.Outcome o = remote.run(new StudyEngine.Job(file, out, t, master, note -> err.println("note: " + note), extend), listener);
                    computed = o.computed();
                    units = o.units();
                    s = o.summary();
                }
            } finally {
                Interruption.forget(say);
            }
            if (bar[0] != null) {
                bar[0].close();
            }
            // A unit (a training run and seed, or a model) gives one cell line per (cut, strength): count both, named as such.
            err.printf(Locale.ROOT, "note: %d unit(s) computed in %.0f s: %d cell line(s), one per unit, cut and strength; %d of %d unit(s) taken from %s%n",
                    computed, (System.nanoTime() - t0) / 1e9, Math.max(0, Journal.wholeLines(cellsFile) - linesBefore), units - computed, units, cellsFile);
        }
        if (s == null) {
            s = runner.summarise();
        }
        for (String line : s.text()) {
            stdout.println(line);
        }
        stdout.println("wrote summary.json, summary.csv, figures/ to " + out);
        stdout.flush();
        return 0;
    }

    /** The engine --engine names (null: local), checked before anything runs. */
    private StudyEngine engine(boolean otherMode) {
        if (engine.equals("local")) {
            if (master != null) {
                throw new BadInputException("--master must be used with --engine spark, found --engine local");
            }
            return null;
        }
        if (!engine.equals("spark")) {
            throw new BadInputException("--engine must be local or spark, found " + engine);
        }
        if (otherMode) {
            throw new BadInputException("--engine spark must not be combined with --shard, --merge or --plot-only (each of those runs here), found one of them");
        }
        StudyEngine e = StudyEngine.find(engine);
        if (e == null) {
            throw new BadInputException("--engine spark needs the diffeo4j-spark module on the class path (./diffeo adds it for this option, "
                    + "or run java -jar spark/target/diffeo-spark.jar), found none");
        }
        return e;
    }
}
