package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.sync.SyncPlan;
import dev.autorebuild.core.sync.SyncPlanner;
import dev.autorebuild.core.sync.WatchRule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a live sync ({@code develop.watch}): the changed files into the component's running
 * container in one archive upload, the deleted ones removed in one {@code rm}, then the restart or the
 * commands the rules ask for. Only a container that runs the component's current image is synced: any
 * other would mix an old image with new files, so the caller builds instead.
 */
public final class LiveSync {
    private static final Duration EXEC_LIMIT = Duration.ofMinutes(2);

    private final Path workspace;
    private final ContainerRuntime runtime;
    private final Redeployer redeployer;
    private final RebuildListener listener;

    private final dev.autorebuild.fs.SyncedContainers record;

    public LiveSync(Path workspace, ContainerRuntime runtime, Redeployer redeployer, RebuildListener listener,
                    dev.autorebuild.fs.SyncedContainers record) {
        this.record = record;
        this.workspace = workspace;
        this.runtime = runtime;
        this.redeployer = redeployer;
        this.listener = listener;
    }

    /** What became of a component's changes. */
    enum Result { BUILD, NOTHING_TO_COPY, SYNCED }

    /** Whether the component has live sync rules at all. */
    boolean applies(ComponentRuntime rt) {
        return !rt.settings.watchRules().isEmpty();
    }

    /**
     * A component with {@code develop.watch} rules whose changes all fall under sync rules is synced into
     * its running container instead of built. A build queued or running, a change outside the sync rules,
     * or a sync that fails leaves it to the build, which holds every file. Two callers at once (a batch
     * and the end of a git hold) sync one after the other, so no file is copied twice.
     */
    Result settle(ComponentRuntime rt) {
        synchronized (rt.syncLock) {
            List<WatchRule> rules = rt.settings.watchRules();
            if (rules.isEmpty() || rt.slot.phase() != BuildSlot.Phase.IDLE) {
                return Result.BUILD;
            }
            SyncPlan plan = SyncPlanner.plan(rules, rt.content.unsynced());
            if (plan instanceof SyncPlan.Nothing) {
                return Result.NOTHING_TO_COPY;
            }
            if (plan instanceof SyncPlan.Live live && apply(rt.component, live).isEmpty()) {
                rt.content.markSynced(live.paths());
                return Result.SYNCED;
            }
            return Result.BUILD;
        }
    }

    /** Empty when the container holds the changes now; else why it could not (the caller rebuilds). */
    Optional<String> apply(Component component, SyncPlan.Live plan) {
        ContainerState state = redeployer.state(component);
        if (state.unknown().isPresent()) {
            return failed(component, state.unknown().get());
        }
        if (state.container().isEmpty() || !state.container().get().running()) {
            return failed(component, "no running container " + state.name() + " to sync into");
        }
        if (state.pending() || state.foreign()) {
            return failed(component, "container " + state.name() + " does not run the current image (a redeploy is pending)");
        }
        String id = state.container().get().id();
        listener.on(new RebuildEvent.SyncStarted(component, plan.paths().size(), plan.action()));
        long started = System.nanoTime();
        try {
            record.record(component.folder(), id); // first, so a daemon started after a crash mid-copy knows too
            if (!plan.copies().isEmpty()) {
                Map<String, Path> files = new LinkedHashMap<>();
                plan.copies().forEach((path, target) -> files.put(target, workspace.resolve(path)));
                runtime.copyInto(id, files);
            }
            if (!plan.deletes().isEmpty()) {
                ContainerRuntime.ExecResult removed = runtime.deleteIn(id, plan.deletes(), EXEC_LIMIT);
                if (removed.exitCode() != 0) {
                    return failed(component, "removing " + plan.deletes().size() + " deleted file(s) in the container failed (exit "
                            + removed.exitCode() + "): " + removed.output());
                }
            }
            if (plan.restart()) {
                runtime.restart(id, Duration.ofSeconds(1));
            }
            Optional<String> output = Optional.empty();
            for (List<String> command : plan.commands()) {
                ContainerRuntime.ExecResult ran = runtime.exec(id, command, EXEC_LIMIT);
                output = Optional.of(String.join(" ", command) + " exited " + ran.exitCode() + (ran.output().isEmpty() ? "" : ": " + ran.output()));
            }
            listener.on(new RebuildEvent.Synced(component, plan.action(), plan.copies().size(), plan.deletes().size(),
                    Duration.ofNanos(System.nanoTime() - started), output));
            return Optional.empty();
        } catch (RuntimeException e) {
            return failed(component, "the copy into " + state.name() + " failed: " + e.getMessage());
        }
    }

    private Optional<String> failed(Component component, String why) {
        listener.on(new RebuildEvent.SyncFailed(component, why + "; rebuilding instead"));
        return Optional.of(why);
    }
}
