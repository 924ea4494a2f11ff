package org.diffeo4j.backend;

import org.diffeo4j.validate.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool that splits [0, count) into contiguous ranges. Results never depend on the split:
 * every sample is computed by the same code from its own stream address.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /** @param threads >= 1; 1 runs everything on the caller's thread */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new BadInputException("threads must be >= 1, found " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "diffeo4j-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over [0, count) in about 4 ranges per thread, at least {@code grain} each. */
    public void forRange(int count, int grain, RangeBody body) {
        int chunks = Math.max(1, Math.min(threads * 4, count / Math.max(1, grain)));
        if (pool == null || chunks == 1) {
            body.run(0, count);
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int k = 0; k < chunks; k++) {
            int from = (int) ((long) count * k / chunks), to = (int) ((long) count * (k + 1) / chunks);
            tasks.add(() -> {
                body.run(from, to);
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
