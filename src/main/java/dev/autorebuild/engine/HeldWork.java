package dev.autorebuild.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The hashing pool's front door: work given before {@link #open} is held, in order, then handed to the
 * pool in that order; later work goes straight through. One queue for everything (first looks, file
 * events, rechecks) keeps their order as the pool's own queue would: a component's first look always
 * runs before the events that came after it was asked for, so no event is judged against a component
 * whose files were never all read.
 */
final class HeldWork implements Executor {
    private final Executor pool;
    private List<Runnable> held = new ArrayList<>(); // null once open

    HeldWork(Executor pool) {
        this.pool = pool;
    }

    @Override
    public synchronized void execute(Runnable work) {
        if (held != null) {
            held.add(work);
        } else {
            pool.execute(work);
        }
    }

    synchronized void open() {
        List<Runnable> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(pool::execute);
        }
    }
}
