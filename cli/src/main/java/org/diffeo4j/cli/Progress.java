package org.diffeo4j.cli;

import java.io.PrintWriter;

/**
 * A progress bar on stderr with rate and ETA. On a terminal it redraws one line; otherwise (logs,
 * CI) it prints a line at every tenth of the work, so logs stay short.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;
    private long done;
    private String note = "";

    Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Sets the progress and a short note shown after the bar (e.g. "loss 0.231"). */
    synchronized void set(long value, String note) {
        this.note = note;
        set(value);
    }

    synchronized void set(long value) {
        done = value;
        long now = System.nanoTime();
        int tenth = (int) (10 * done / total);
        if (terminal ? now - lastDraw > 200_000_000L || done >= total : tenth > lastTenth) {
            lastDraw = now;
            lastTenth = tenth;
            draw(now);
        }
    }

    private void draw(long now) {
        double secs = (now - start) / 1e9, rate = done / Math.max(secs, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int width = 30, fill = (int) (width * done / total);
        String bar = String.format("%s [%s%s] %3d%% %d/%d %.1f/s ETA %s", label, "#".repeat(fill), " ".repeat(width - fill),
                100 * done / total, done, total, rate, Double.isNaN(eta) ? "?" : String.format("%.0fs", eta)) + note;
        err.print(terminal ? "\r" + bar : bar + "\n");
        err.flush();
    }

    @Override
    public void close() {
        if (terminal) {
            err.println();
        }
    }
}
