package org.diffeo4j.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Runs every (P, seed) cell of a spec, on a fixed pool of threads, one cell per task. A cell's result
 * depends only on (spec, P, seed), so the thread count changes the wall time, never a number.
 */
public final class StripeSweep {
    /** Where finished cells are looked up before computing and recorded after (a resumable log). */
    public interface CellStore {
        Optional<StripeCell> find(int trainSize, int seed);

        void finished(StripeCell cell);
    }

    /** A store that remembers nothing. */
    public static final CellStore NONE = new CellStore() {
        @Override
        public Optional<StripeCell> find(int trainSize, int seed) {
            return Optional.empty();
        }

        @Override
        public void finished(StripeCell cell) {
        }
    };

    private StripeSweep() {
    }

    /**
     * All cells, ordered by P then seed.
     *
     * @param progress receives the number of cells done so far
     */
    public static List<StripeCell> run(StripeSpec spec, int threads, CellStore store, LongConsumer progress) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        int[] sizes = spec.trainSizes();
        int n = sizes.length * spec.seeds();
        StripeCell[] out = new StripeCell[n];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "diffeo4j-stripe");
            t.setDaemon(true);
            return t;
        });
        long[] done = {0};
        try {
            List<Future<?>> tasks = new ArrayList<>();
            // largest P first: the long cells start early and the short ones fill the gaps
            for (int a = sizes.length - 1; a >= 0; a--) {
                for (int s = 0; s < spec.seeds(); s++) {
                    int at = a * spec.seeds() + s, p = sizes[a], seed = s;
                    tasks.add(pool.submit(() -> {
                        Optional<StripeCell> known;
                        synchronized (store) {
                            known = store.find(p, seed);
                        }
                        StripeCell c = known.orElseGet(() -> StripeCells.run(spec, p, seed));
                        synchronized (store) {
                            if (known.isEmpty()) {
                                store.finished(c);
                            }
                            out[at] = c;
                            progress.accept(++done[0]);
                        }
                    }));
                }
            }
            for (Future<?> f : tasks) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stripe sweep interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }
}
