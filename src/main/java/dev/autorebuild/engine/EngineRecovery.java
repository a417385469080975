package dev.autorebuild.engine;

import dev.autorebuild.core.Threads;
import dev.autorebuild.core.RebuildEvent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a container engine that stopped answering: pings it with capped exponential backoff (1 s,
 * 2 s, 4 s … 30 s; never a busy loop) and, once it answers, has everything that waited built. While
 * it is down the daemon keeps watching and recording changes; nothing is lost.
 */
final class EngineRecovery implements AutoCloseable {
    static final Duration FIRST_TRY = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final BooleanSupplier engineAnswers;
    private final RebuildListener listener;
    private final Runnable onBack;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.named("dab-engine-retry"));
    private boolean waiting;
    private long downSince;

    /** @param onBack requests the builds that waited; returns nothing, reports through events */
    EngineRecovery(BooleanSupplier engineAnswers, RebuildListener listener, Runnable onBack) {
        this.engineAnswers = engineAnswers;
        this.listener = listener;
        this.onBack = onBack;
    }

    /** A build failed and the engine does not answer: start waiting for it (once). */
    synchronized void engineDown(String reason) {
        if (waiting) {
            return;
        }
        waiting = true;
        downSince = System.nanoTime();
        listener.on(new RebuildEvent.EngineDown(reason, FIRST_TRY));
        schedule(FIRST_TRY);
    }

    /** Whether builds wait for the engine now. */
    synchronized boolean isWaiting() {
        return waiting;
    }

    private void schedule(Duration wait) {
        timer.schedule(() -> tryAgain(wait), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tryAgain(Duration lastWait) {
        if (!engineAnswers.getAsBoolean()) {
            Duration next = lastWait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : lastWait.multipliedBy(2);
            schedule(next);
            return;
        }
        Duration downFor;
        synchronized (this) {
            waiting = false;
            downFor = Duration.ofNanos(System.nanoTime() - downSince);
        }
        listener.on(new RebuildEvent.EngineBack(downFor));
        onBack.run();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
