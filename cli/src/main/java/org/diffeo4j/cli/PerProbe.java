package org.diffeo4j.cli;

import org.diffeo4j.model.Activations;
import org.diffeo4j.report.ProbeReport;
import org.diffeo4j.run.RunFolder;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.Margins;
import org.diffeo4j.stability.ProbeResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code measure --per-probe}: collects every probe's distances and the clean margins, then writes them with the run. */
final class PerProbe implements StabilityMeasurement.ProbeSink {
    private final int[] labels;
    private final List<ProbeResult> results = new ArrayList<>();
    private Margins margins;

    /** @param labels the probes' true classes, or null (then margins are top1 - top2) */
    PerProbe(int[] labels) {
        this.labels = labels;
    }

    @Override
    public void clean(Activations output) {
        margins = Margins.of(output, labels);
    }

    @Override
    public void realisation(ProbeResult probes) {
        results.add(probes);
    }

    /**
     * The log without its finds: a logged cell would come back without per-probe values, so every cell
     * is measured again (finished cells are still logged; a log keeps the first line of a cell).
     */
    static StabilityMeasurement.CellStore measureAgain(StabilityMeasurement.CellStore log) {
        return new StabilityMeasurement.CellStore() {
            @Override
            public Optional<CellResult> find(int cut, double temperature) {
                return Optional.empty();
            }

            @Override
            public void finished(CellResult cell) {
                log.finished(cell);
            }
        };
    }

    /** per-probe.csv, per-probe.json, per-probe.png and .svg into the run folder (not yet committed). */
    void write(RunFolder folder, StabilitySpec s) {
        folder.write("per-probe.csv", ProbeReport.csv(results, margins));
        folder.write("per-probe.json", ProbeReport.json(results, margins, s.average(), s.noise().cliName()));
        folder.writeFigure("per-probe.png", ProbeReport.chart(results, margins, s.noise().cliName()));
    }
}
