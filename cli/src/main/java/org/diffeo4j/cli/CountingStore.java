package org.diffeo4j.cli;

import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;

import java.util.Optional;

/** A cell store that counts what it reused and saved, for the interruption and resume messages. */
final class CountingStore implements StabilityMeasurement.CellStore {
    private final StabilityMeasurement.CellStore inner;
    private int reused;
    private int saved;

    CountingStore(StabilityMeasurement.CellStore inner) {
        this.inner = inner;
    }

    @Override
    public Optional<CellResult> find(int cut, double temperature) {
        Optional<CellResult> c = inner.find(cut, temperature);
        if (c.isPresent()) {
            reused++;
            saved++;
        }
        return c;
    }

    @Override
    public void finished(CellResult cell) {
        inner.finished(cell);
        if (inner != StabilityMeasurement.CellStore.NONE) {
            saved++;
        }
    }

    /** Cells taken from the log. */
    int reused() {
        return reused;
    }

    /** Cells in the log now: reused and newly finished. */
    int saved() {
        return saved;
    }
}
