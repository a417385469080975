package dev.autorebuild.engine;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.watch.GitLockWatch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Holds builds while git rewrites the work tree (a checkout, rebase or pull holds .git/index.lock),
 * then lets each component that changed build once, from the final tree. All its state lives on the
 * pipeline thread, so it needs no locks.
 */
final class GitHold implements AutoCloseable {
    static final String REASON = "git is writing the work tree";
    /** After git's lock goes, wait this long past the quiet period for the last writes to settle. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    /** A lock left by a crashed git must not hold builds for ever. */
    private static final Duration MAX_HOLD = Duration.ofMinutes(5);

    /** git's lock file: known before the watch starts, so an event that comes at once finds everything in place. */
    private final Path lockFile;
    private volatile GitLockWatch watch;
    private final Builds builds;
    private final RebuildListener listener;
    private final ScheduledExecutorService pipelineThread;
    private final Supplier<Duration> quietPeriod;
    private final Consumer<ComponentRuntime> recheckAndBuild;
    private boolean held;
    private ScheduledFuture<?> release;
    private ScheduledFuture<?> giveUp;

    private GitHold(Path lockFile, Builds builds, RebuildListener listener, ScheduledExecutorService pipelineThread,
                    Supplier<Duration> quietPeriod, Consumer<ComponentRuntime> recheckAndBuild) {
        this.lockFile = lockFile;
        this.builds = builds;
        this.listener = listener;
        this.pipelineThread = pipelineThread;
        this.quietPeriod = quietPeriod;
        this.recheckAndBuild = recheckAndBuild;
    }

    /** Watches the repository holding the workspace, if any; null when it is not in one. */
    static GitHold start(Path workspace, Builds builds, RebuildListener listener, ScheduledExecutorService pipelineThread,
                         Supplier<Duration> quietPeriod, Consumer<ComponentRuntime> recheckAndBuild) throws IOException {
        Optional<Path> gitDir = GitLockWatch.gitDirOf(workspace);
        if (gitDir.isEmpty()) {
            return null;
        }
        // made before the watch starts: a lock event on the watch's thread the moment it starts finds the hold there
        // (it used to be made after, and such an event ended git-lock watching for the daemon's life with an NPE)
        GitHold hold = new GitHold(GitLockWatch.lockFileOf(gitDir.get()), builds, listener, pipelineThread, quietPeriod, recheckAndBuild);
        hold.watch = GitLockWatch.start(gitDir.get(), new GitLockWatch.Listener() {
            @Override
            public void locked() {
                pipelineThread.execute(hold::locked);
            }

            @Override
            public void unlocked() {
                pipelineThread.execute(hold::unlocked);
            }
        });
        if (hold.isLocked()) {
            pipelineThread.execute(hold::locked);
        }
        return hold;
    }

    private void locked() {
        if (release != null) {
            release.cancel(false);
            release = null;
        }
        if (!held) {
            held = true;
            builds.hold(REASON);
            listener.on(new RebuildEvent.BuildsHeld(REASON + " (" + lockFile + " exists)"));
            giveUp = pipelineThread.schedule(() -> releaseHold("git's lock is still there after " + Durations.format(MAX_HOLD)
                    + "; building anyway (a crashed git leaves " + lockFile + " behind)"), MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The lock is gone; builds resume once the last writes have settled. */
    private void unlocked() {
        if (held && release == null) {
            release = pipelineThread.schedule(() -> {
                release = null;
                if (!isLocked()) {
                    releaseHold("git finished writing the work tree");
                }
            }, quietPeriod.get().plus(SETTLE).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Rehashes the components that waited, so each builds once, from the final tree. */
    private void releaseHold(String reason) {
        if (!held) {
            return;
        }
        held = false;
        if (giveUp != null) {
            giveUp.cancel(false);
        }
        List<ComponentRuntime> waiting = builds.release(REASON);
        listener.on(new RebuildEvent.BuildsResumed(reason, waiting.stream().map(rt -> rt.component.folder()).toList()));
        waiting.forEach(recheckAndBuild);
    }

    private boolean isLocked() {
        return java.nio.file.Files.exists(lockFile);
    }

    @Override
    public void close() throws IOException {
        GitLockWatch started = watch;
        if (started != null) {
            started.close();
        }
    }
}
