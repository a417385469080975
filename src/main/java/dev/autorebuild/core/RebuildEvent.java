package dev.autorebuild.core;

import dev.autorebuild.core.build.Builder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the engine reports. The engine never prints: front ends (the console, later the HTTP
 * API) decide how to show these, and tests wait on them instead of parsing logs or sleeping.
 */
public sealed interface RebuildEvent {

    record Watching(Path workspace, List<Component> components, Duration setup) implements RebuildEvent {
        public Watching {
            components = List.copyOf(components);
        }
    }

    record ComponentAdded(Component component) implements RebuildEvent {}

    record ComponentRemoved(Component component, String reason) implements RebuildEvent {}

    /** At start: the image's digest label equals the files' digest, so no build is needed. */
    record UpToDate(Component component, String digest, int files) implements RebuildEvent {}

    /**
     * At start: the component's files differ from what its image was last built from (the daemon's record
     * in {@code .dab/built/}): {@code changed} paths were added, changed or removed while the daemon was not
     * running; {@code firstPaths} names the first of them in path order (a branch switch may change thousands).
     */
    record ChangedWhileStopped(Component component, List<String> firstPaths, int changed) implements RebuildEvent {
        public static final int NAMED = 20;

        public ChangedWhileStopped {
            firstPaths = List.copyOf(firstPaths.subList(0, Math.min(NAMED, firstPaths.size())));
        }
    }

    /** Files were touched but their content is what the image was built from: nothing to do. */
    record NoContentChange(Component component, int pathsChecked, int events) implements RebuildEvent {}

    /** A build was requested and waits for a build slot (at most {@code --parallel-builds} run at once). */
    record BuildQueued(Component component) implements RebuildEvent {}

    /** @param builder the engine's builder this build runs on */
    record BuildStarted(Component component, int changedFiles, Builder builder) implements RebuildEvent {}

    /** {@code build.builder: auto} chose the classic builder on this engine, for this reason (said once per reason). */
    record BuilderFallback(String reason) implements RebuildEvent {}

    record BuildOutput(Component component, String line) implements RebuildEvent {}

    record BuildSucceeded(Component component, String imageId, String digest, Duration took) implements RebuildEvent {}

    record BuildFailed(Component component, Optional<String> step, String message, Duration took) implements RebuildEvent {}

    /** The build was cancelled on the engine because newer changes made it stale; a build of them follows at once. */
    record BuildCancelled(Component component, String reason, Duration took) implements RebuildEvent {}

    /** Events were lost (watch queue overflow) or rules changed: these components are being rehashed. */
    record Rescan(String reason, List<String> components) implements RebuildEvent {
        public Rescan {
            components = List.copyOf(components);
        }
    }

    /** The container engine does not answer: changes keep being recorded, builds wait and are retried with backoff. */
    record EngineDown(String reason, Duration nextTry) implements RebuildEvent {}

    /** The engine answers again: everything waiting is built now. */
    record EngineBack(Duration downFor) implements RebuildEvent {}

    /** Builds wait: git is rewriting the work tree (a checkout, rebase or pull holds .git/index.lock). */
    record BuildsHeld(String reason) implements RebuildEvent {}

    /** A component has changes to build, but builds are held (git is writing, the engine is down): it builds once the hold ends. */
    record BuildWaiting(Component component, String reason) implements RebuildEvent {}

    /** The hold ended: these components, changed meanwhile, build now (once each). */
    record BuildsResumed(String reason, List<String> components) implements RebuildEvent {
        public BuildsResumed {
            components = List.copyOf(components);
        }
    }

    record RedeployStarted(Component component, String container) implements RebuildEvent {}

    /** The component's container now runs its current image, and proved ready. */
    record Redeployed(Component component, String container, String containerId, Duration took) implements RebuildEvent {}

    /**
     * The redeploy did not happen or the new container never became ready; whatever ran before still
     * runs. {@code logTail} holds the new container's last lines, when there was one.
     */
    record RedeployFailed(Component component, String reason, List<String> logTail) implements RebuildEvent {
        public RedeployFailed {
            logTail = List.copyOf(logTail);
        }
    }

    /** Changed files are being copied into the component's running container(s), instead of a build ({@code develop.watch}). */
    record SyncStarted(Component component, int files, String action) implements RebuildEvent {}

    /**
     * The running container holds the changes now.
     *
     * @param execOutput the {@code sync+exec} command's output and exit code, when there was one
     */
    record Synced(Component component, String action, int copied, int deleted, Duration took, Optional<String> execOutput) implements RebuildEvent {}

    /** The sync could not be done; the component is rebuilt instead ({@code why} says why). */
    record SyncFailed(Component component, String why) implements RebuildEvent {}

    /** The configuration was read again and these settings changed ({@code key: old -> new, …}). */
    record ConfigReloaded(String origin, String changes) implements RebuildEvent {}

    /** An edited configuration is invalid: the last good one stays in force. */
    record ConfigRejected(String problems) implements RebuildEvent {}

    record Warning(String message) implements RebuildEvent {}

    /** The change pipeline ended, which it never should: nothing is watched any more, so the daemon ends (non-zero). */
    record PipelineStopped(String reason) implements RebuildEvent {}
}
