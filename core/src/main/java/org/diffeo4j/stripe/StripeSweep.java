package org.diffeo4j.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.run.Journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * The journal of finished stripe cells ({@code stripe.jsonl}): {@code {"key": ..., "cell": {...}}} per
     * line, unique per (key, P, seed).
     */
    public static Journal openJournal(Path file) {
        return Journal.open(file, line -> {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            JsonObject c = o.getAsJsonObject("cell");
            return entryKey(o.get("key").getAsString(), c.get("trainSize").getAsInt(), c.get("seed").getAsInt());
        });
    }

    private static String entryKey(String key, int trainSize, int seed) {
        return key + "|" + trainSize + "|" + seed;
    }

    /**
     * The cells of {@code key} ({@link StripeSpec#cellKey()}) in {@code journal}, as a store: a rerun with the
     * same key reuses them (other train sizes or more seeds add cells); lines of another key are left alone.
     */
    public static CellStore journalled(Journal journal, String key) {
        Map<String, StripeCell> known = new HashMap<>();
        for (String line : journal.lines()) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (key.equals(o.get("key").getAsString())) {
                StripeCell c = cell(o.getAsJsonObject("cell"));
                if (c.trainSize() >= 2) {
                    known.put(entryKey(key, c.trainSize(), c.seed()), c);
                }
            }
        }
        return new CellStore() {
            @Override
            public Optional<StripeCell> find(int trainSize, int seed) {
                return Optional.ofNullable(known.get(entryKey(key, trainSize, seed)));
            }

            @Override
            public void finished(StripeCell cell) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("trainSize", cell.trainSize());
                c.put("seed", cell.seed());
                // Strict JSON: a value undefined in a cell (no active unit: no alignment) is null, read back as NaN.
                c.put("r", StrictJson.optional(cell.r()));
                c.put("rInit", StrictJson.optional(cell.rInit()));
                c.put("testError", cell.testError());
                c.put("alignment", StrictJson.optional(cell.alignment()));
                c.put("epochs", cell.epochs());
                c.put("fitted", cell.fitted());
                c.put("seconds", cell.seconds());
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("key", key);
                o.put("cell", c);
                journal.append(StrictJson.line(o, "the stripe cell journal " + journal.file()));
                known.put(entryKey(key, cell.trainSize(), cell.seed()), cell);
            }
        };
    }

    /** A cell as the journal holds it (field names of {@link StripeCell}; null, or NaN in older logs, for an undefined value). */
    private static StripeCell cell(JsonObject c) {
        return new StripeCell(c.get("trainSize").getAsInt(), c.get("seed").getAsInt(), number(c.get("r")), number(c.get("rInit")),
                number(c.get("testError")), number(c.get("alignment")), c.get("epochs").getAsInt(), c.get("fitted").getAsBoolean(),
                number(c.get("seconds")));
    }

    private static double number(JsonElement e) {
        return e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /**
     * All cells, ordered by P then seed.
     *
     * @param progress receives the number of cells done so far
     */
    public static List<StripeCell> run(StripeSpec spec, int threads, CellStore store, LongConsumer progress) {
        if (threads < 1) {
            throw new org.diffeo4j.validate.BadInputException("threads must be >= 1, found " + threads);
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
