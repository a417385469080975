package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.EngineMessages;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.ContainerRuntime.Container;

import java.time.Duration;

/** What a redeploy does with the container it replaces: retire it once its successor serves, or give it its place back. */
final class OldContainer {
    private OldContainer() {}

    /** The old container goes once its successor serves; if the engine refuses, the redeploy still happened: a warning. */
    static void retire(ContainerRuntime runtime, RebuildListener listener, Component component, Container old, String standby, Duration stopTimeout) {
        try {
            runtime.stop(old.id(), stopTimeout);
            runtime.remove(old.id());
        } catch (RuntimeException e) {
            listener.on(new RebuildEvent.Warning("[" + component.folder() + "] the previous container " + standby
                    + " could not be removed (" + EngineMessages.oneLine(e) + "); it may still run: remove it with docker rm -f " + standby));
        }
    }

    /** Gives the old container its name back and starts it again if it ran. */
    static void restore(ContainerRuntime runtime, Container old, String name, boolean wasRunning) {
        runtime.rename(old.id(), name);
        if (wasRunning && !runtime.inspect(old.id()).map(Container::running).orElse(false)) {
            runtime.start(old.id());
        }
    }
}
