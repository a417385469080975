package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.config.BuildRecipe;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.content.ComponentContent;

import java.util.Map;

/** A live component: how it is built, its content state, its build slot, and the lock that orders its scans. */
final class ComponentRuntime {
    final Component component;
    final DabConfig.ComponentSettings settings;
    /** dab.yml's build.args overlaid with the component's own. */
    final Map<String, String> buildArgs;
    /** How the files are built; part of the content digest, so building another way means building again. */
    final String recipe;
    final ComponentContent content;
    final BuildSlot slot = new BuildSlot();
    /** Held while hashing into {@link #content}, so scans of one component never interleave. */
    final Object scanLock = new Object();
    /** The next build runs even if the files match the image (a rebuild the user asked for). */
    final java.util.concurrent.atomic.AtomicBoolean forced = new java.util.concurrent.atomic.AtomicBoolean();

    ComponentRuntime(Component component, DabConfig.ComponentSettings settings, Map<String, String> buildArgs) {
        this.component = component;
        this.settings = settings;
        this.buildArgs = Map.copyOf(buildArgs);
        this.recipe = BuildRecipe.of(settings, buildArgs);
        this.content = new ComponentContent(recipe);
    }

}
