package dev.autorebuild.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work under way per component that may still end in a build: file events routed to it but not yet
 * judged (they wait out the debounce, then are hashed), a first look at start, a recheck after a
 * hold. Together with its build slot and the build holds, this tells whether a component has settled,
 * which a redeploy waits for. Counted by component folder, so a component that goes and comes back
 * keeps balanced counts.
 */
final class InFlight {
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void add(String folder, int units) {
        counts.computeIfAbsent(folder, f -> new AtomicInteger()).addAndGet(units);
    }

    void done(String folder, int units) {
        counts.computeIfAbsent(folder, f -> new AtomicInteger()).addAndGet(-units);
    }

    boolean any(String folder) {
        AtomicInteger count = counts.get(folder);
        return count != null && count.get() > 0;
    }

    /** Runs {@code work} on {@code pool}, counted as in flight for {@code folder} until it ends. */
    void run(Executor pool, String folder, Runnable work) {
        add(folder, 1);
        try {
            pool.execute(() -> {
                try {
                    work.run();
                } finally {
                    done(folder, 1);
                }
            });
        } catch (RejectedExecutionException e) {
            done(folder, 1); // the pool is shutting down: nothing will run
            throw e;
        }
    }
}
