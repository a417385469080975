package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent;

/** Receives the engine's events. Called from engine threads: implementations must be quick and thread-safe. */
@FunctionalInterface
public interface RebuildListener {
    void on(RebuildEvent event);
}
