package dev.autorebuild.engine;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After lost events (a write storm overflowed the watch queue) builds wait until the writes have
 * settled. A storm that overflows the queue hides part of its own activity, so a quiet period judged
 * from the events that got through can close in the middle of it and build twice; held, each
 * component builds once, from the final tree. Every overflow and every event on a component extends
 * the hold; it ends a quiet period plus {@link #SETTLE} after the last of them. Activity stops
 * extending it once it has lasted {@link #MAX_HOLD}, so a storm that never settles is built a quiet
 * period plus {@code SETTLE} after that. All its state lives on the pipeline thread, so it needs no locks.
 */
final class OverflowHold {
    static final String REASON = "file events were lost: waiting for the writes to settle";
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration MAX_HOLD = Duration.ofMinutes(2);

    private final Builds builds;
    private final RebuildListener listener;
    private final ScheduledExecutorService pipelineThread;
    private final Supplier<Duration> quietPeriod;
    private final Consumer<ComponentRuntime> recheckAndBuild;
    private boolean held;
    private long heldSince;
    private ScheduledFuture<?> release;

    OverflowHold(Builds builds, RebuildListener listener, ScheduledExecutorService pipelineThread, Supplier<Duration> quietPeriod,
                 Consumer<ComponentRuntime> recheckAndBuild) {
        this.builds = builds;
        this.listener = listener;
        this.pipelineThread = pipelineThread;
        this.quietPeriod = quietPeriod;
        this.recheckAndBuild = recheckAndBuild;
    }

    /** Pipeline thread: the watch queue overflowed. */
    void overflowed() {
        if (!held) {
            held = true;
            heldSince = System.nanoTime();
            builds.hold(REASON);
            listener.on(new RebuildEvent.BuildsHeld(REASON));
        }
        releaseLater();
    }

    /** Pipeline thread: an event on a component arrived; while held, the storm is still going. */
    void componentActivity() {
        if (held && System.nanoTime() - heldSince < MAX_HOLD.toNanos()) {
            releaseLater();
        }
    }

    private void releaseLater() {
        if (release != null) {
            release.cancel(false);
        }
        release = pipelineThread.schedule(this::releaseHold, quietPeriod.get().plus(SETTLE).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Rehashes the components that waited, so each builds once, from the final tree. */
    private void releaseHold() {
        release = null;
        if (!held) {
            return;
        }
        held = false;
        List<ComponentRuntime> waiting = builds.release(REASON);
        listener.on(new RebuildEvent.BuildsResumed("the writes settled after " + Durations.format(Duration.ofMillis(
                (System.nanoTime() - heldSince) / 1_000_000)) + " of lost events", waiting.stream().map(rt -> rt.component.folder()).toList()));
        waiting.forEach(recheckAndBuild);
    }
}
