package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.config.BuildRecipe;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.content.ComponentContent;

import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.ComponentScanner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
    /** Held while hashing into {@link #content}, so scans of one component never interleave: only the two methods below take it. */
    private final Object scanLock = new Object();
    /** Builds in a row whose connection to the engine broke (see {@code Builds}): a few are built again, then the failure is said. */
    final java.util.concurrent.atomic.AtomicInteger buildsCut = new java.util.concurrent.atomic.AtomicInteger();
    /** The next build runs even if the files match the image (a rebuild the user asked for). */
    final java.util.concurrent.atomic.AtomicBoolean forced = new java.util.concurrent.atomic.AtomicBoolean();

    /** One live sync of this component at a time: a second one, started meanwhile, copies only what the first did not. */
    final Object syncLock = new Object();

    /** The thread running this component's build right now, so newer changes can cancel it; guarded by {@code this}. */
    private Thread building;
    private boolean cancelledForNewerChanges;
    /** The content digest the running build builds, while one runs. */
    private volatile String buildingDigest;

    /** Hashes every file of the component into its content; never at the same time as another scan of it. */
    void scanAll(ComponentScanner scanner, Path workspace, TriggerFilter filter, Consumer<String> warn) throws IOException {
        synchronized (scanLock) {
            scanner.scanAll(workspace, component.folder(), filter, content, warn);
        }
    }

    /** Hashes the given paths of the component (files or folders) into its content; never at the same time as another scan of it. */
    void scan(ComponentScanner scanner, Path workspace, List<String> paths, TriggerFilter filter, Consumer<String> warn) throws IOException {
        synchronized (scanLock) {
            for (String path : paths) {
                scanner.scan(workspace, component.folder(), path, filter, content, warn);
            }
        }
    }

    /** How a build went, and whether newer changes cancelled it while it ran. */
    record Run<T>(T outcome, boolean cancelledForNewerChanges) {}

    /** Runs {@code build} on this thread as the component's build, which {@link #cancelBuild} may interrupt. */
    <T> Run<T> whileBuilding(String digest, java.util.function.Supplier<T> build) {
        synchronized (this) {
            building = Thread.currentThread();
            buildingDigest = digest;
            cancelledForNewerChanges = false;
        }
        T outcome = null;
        try {
            outcome = build.get();
        } finally {
            synchronized (this) {
                building = null;
                buildingDigest = null;
                if (cancelledForNewerChanges) {
                    Thread.interrupted(); // ours, not a stop's: the pool thread goes on to the rerun
                }
            }
        }
        return new Run<>(outcome, cancelledForNewerChanges);
    }

    /**
     * Whether the files now differ from what the running build builds (a rescan that finds the same
     * files, or a change undone, does not make it stale).
     */
    boolean buildIsStale() {
        String digest = buildingDigest;
        return digest != null && !digest.equals(content.snapshot().digest());
    }

    /** Newer changes made the running build stale: interrupting its thread closes its request, which cancels it on the engine. */
    synchronized void cancelBuild() {
        if (building != null) {
            cancelledForNewerChanges = true;
            building.interrupt();
        }
    }

    ComponentRuntime(Component component, DabConfig.ComponentSettings settings, Map<String, String> buildArgs) {
        this.component = component;
        this.settings = settings;
        this.buildArgs = Map.copyOf(buildArgs);
        this.recipe = BuildRecipe.of(settings, buildArgs);
        this.content = new ComponentContent(recipe);
    }

}
