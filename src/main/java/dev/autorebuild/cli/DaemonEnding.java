package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import dev.autorebuild.engine.Rebuilder;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the daemon ends: a quit (graceful: builds in progress may finish), a stop (immediate), or a
 * fatal end when it cannot go on watching (exit status 1). It runs on the caller's thread and finishes
 * the work before asking Quarkus to exit: once Quarkus shuts down, its log handlers may be closed.
 */
final class DaemonEnding {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");

    private final Path workspace;
    private final long pid;
    private final boolean detached;
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile int exitStatus;

    DaemonEnding(Path workspace, long pid, boolean detached) {
        this.workspace = workspace;
        this.pid = pid;
        this.detached = detached;
    }

    boolean started() {
        return ending.get();
    }

    int exitStatus() {
        return exitStatus;
    }

    /**
     * Never claims to watch while nothing is watched: ends now, non-zero, with the reason in the log.
     * On a thread of its own, since the caller may be one of the threads the end waits for.
     */
    void endFatally(Rebuilder rebuilder, String reason) {
        exitStatus = 1;
        dev.autorebuild.core.Threads.daemon("dab-fatal").newThread(() -> end(rebuilder, reason, Duration.ZERO)).start();
    }

    /** A quit with {@code grace}, or a stop for zero. A stop during a quit cancels the builds the quit waits for. */
    void end(Rebuilder rebuilder, String why, Duration grace) {
        List<String> building = rebuilder.buildsInProgress();
        if (!ending.compareAndSet(false, true)) {
            if (grace.isZero()) {
                LOG.infof("%s while quitting: cancelling the builds in progress%s", why, building.isEmpty() ? "" : " (" + String.join(", ", building) + ")");
                rebuilder.close(Duration.ZERO);
            }
            return;
        }
        String builds = building.isEmpty() ? ""
                : grace.isZero() ? "; cancelling the build of " + String.join(", ", building)
                : "; letting the build of " + String.join(", ", building) + " finish (at most " + Durations.format(grace) + ")"
                + (detached ? "" : " - Ctrl-C again cancels it");
        LOG.infof("%s: no longer watching %s%s", why, workspace, builds);
        rebuilder.close(grace);
        LOG.infof("daemon %d ended", pid);
        Quarkus.asyncExit(exitStatus);
    }
}
