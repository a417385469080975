package dev.autorebuild.pipeline;

import java.time.Duration;

/**
 * Time for the pipeline: a monotonic clock and a way to run something later. Injected so the
 * debounce operator can be tested on virtual time, and so that, in production, timers and items
 * are handled on one thread (no locks in the debouncer).
 */
public interface Ticker {
    long nanoTime();

    Cancellable schedule(Runnable task, Duration delay);

    /** Runs a task on the ticker's thread as soon as possible. */
    void execute(Runnable task);

    interface Cancellable {
        void cancel();
    }
}
