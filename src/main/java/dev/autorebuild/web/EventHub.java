package dev.autorebuild.web;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import java.time.Clock;

/**
 * Fans the engine's events out to every open event stream (SSE). Each subscriber gets its own buffer,
 * so a slow browser tab never slows the engine or another subscriber; one that falls more than
 * {@link #BUFFER} events behind has its stream ended (the dashboard reconnects and reloads the state).
 * Nothing is kept for nobody.
 */
public final class EventHub implements RebuildListener {
    static final int BUFFER = 10_000;

    private final Clock clock;
    private final BroadcastProcessor<EventView> processor = BroadcastProcessor.create();

    public EventHub(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void on(RebuildEvent event) { // synchronized: a processor takes one item at a time
        processor.onNext(EventView.of(event, clock.instant()));
    }

    /** The events from now on, for one subscriber. */
    public Multi<EventView> stream() {
        return processor.onOverflow().buffer(BUFFER).onFailure().recoverWithCompletion();
    }

    /** Ends every stream (the daemon is going away). */
    public synchronized void complete() {
        processor.onComplete();
    }
}
