package org.diffeo4j.run;

import java.util.ArrayList;
import java.util.List;

/**
 * What to undo if the process is ended by a signal: a run folder registers the deletion of its
 * temporary files while it is open. The command line's signal handler runs {@link #runAll}; nothing
 * else does (a library user who handles signals can call it too).
 */
public final class Cleanups {
    private static final List<Runnable> ACTIONS = new ArrayList<>();

    private Cleanups() {
    }

    /** Runs {@code action} at {@link #runAll}, unless {@link #remove}d first. */
    public static synchronized void add(Runnable action) {
        ACTIONS.add(action);
    }

    /** Forgets {@code action} (the run cleaned up itself). */
    public static synchronized void remove(Runnable action) {
        ACTIONS.remove(action);
    }

    /** Runs every registered action once, best effort, and forgets them. */
    public static void runAll() {
        List<Runnable> list;
        synchronized (Cleanups.class) {
            list = new ArrayList<>(ACTIONS);
            ACTIONS.clear();
        }
        for (Runnable r : list) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // best effort while exiting
            }
        }
    }
}
