package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.content.ComponentContent;

import java.nio.file.Path;

/** A live component: its content state, its build slot, and the lock that orders its scans. */
final class ComponentRuntime {
    final Component component;
    final Path dir;
    final ComponentContent content = new ComponentContent();
    final BuildSlot slot = new BuildSlot();
    /** Held while hashing into {@link #content}, so scans of one component never interleave. */
    final Object scanLock = new Object();

    ComponentRuntime(Component component, Path dir) {
        this.component = component;
        this.dir = dir;
    }
}
