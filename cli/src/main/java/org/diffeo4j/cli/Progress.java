package org.diffeo4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr with rate and ETA. When stderr is a terminal it redraws one bar in place;
 * otherwise (a log file, CI, a pipe) it prints a plain line at most every {@link #PERIOD_NANOS}
 * and one at the end, so logs stay short whatever the number of updates.
 */
final class Progress implements AutoCloseable {
    /** Time between two lines when stderr is not a terminal. */
    static final long PERIOD_NANOS = 10_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static volatile boolean terminal;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final long total;
    private final boolean redraw;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;
    private boolean drawn;
    private String note = "";

    /**
     * @param unit what is counted, plural ("realisations", "fields")
     */
    Progress(PrintWriter err, String label, String unit, long total) {
        this(err, label, unit, total, terminal);
    }

    Progress(PrintWriter err, String label, String unit, long total, boolean redraw) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = Math.max(1, total);
        this.redraw = redraw;
        this.lastDraw = start;
    }

    /** Set once by {@code main}: whether the process's stderr is a terminal. */
    static void useTerminal(boolean value) {
        terminal = value;
    }

    /** Sets the progress and a short note shown after the bar (e.g. "loss 0.231"). */
    synchronized void set(long value, String note) {
        this.note = note;
        set(value);
    }

    synchronized void set(long value) {
        done = value;
        long now = System.nanoTime();
        if (done >= total || now - lastDraw >= (redraw ? REDRAW_NANOS : PERIOD_NANOS)) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double secs = (now - start) / 1e9, rate = done / Math.max(secs, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        String eta_ = Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0fs", eta);
        if (redraw) {
            int width = 30, fill = (int) (width * done / total);
            err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d %s %s ETA %s", label, "#".repeat(fill), " ".repeat(width - fill),
                    100 * done / total, done, total, unit, rate(rate), eta_) + note);
        } else {
            err.println(String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %s, ETA %s", label, done, total, unit, 100 * done / total, rate(rate), eta_) + note);
        }
        drawn = true;
        err.flush();
    }

    /**
     * The rate as "12.3/s", or as "25.0 s each" below one per second: stripe's cells take tens of
     * seconds each, which "%.1f/s" printed as "0.0/s" (issue 21). "?/s" before anything is done.
     */
    static String rate(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            return "?/s";
        }
        return perSecond >= 1 ? String.format(Locale.ROOT, "%.1f/s", perSecond) : String.format(Locale.ROOT, "%.1f s each", 1 / perSecond);
    }

    @Override
    public void close() {
        if (redraw && drawn) {
            err.println();
        }
        err.flush();
    }
}
