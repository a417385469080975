package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent;

/** Receives the engine's events. Called from engine threads: implementations must be quick and thread-safe. */
@FunctionalInterface
public interface RebuildListener {
    void on(RebuildEvent event);

    /** One listener that hands each event to all of {@code listeners}, in order. */
    static RebuildListener all(RebuildListener... listeners) {
        java.util.List<RebuildListener> copy = java.util.List.of(listeners);
        return event -> copy.forEach(l -> l.on(event));
    }
}
