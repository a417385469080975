package dev.autorebuild.cli;

import dev.autorebuild.core.Threads;
import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DiskSpace;
import dev.autorebuild.daemon.HeapTrim;
import dev.autorebuild.daemon.LogCap;
import org.jboss.logging.Logger;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A detached daemon's chores, every ten seconds: keep its log under its cap, and notice a disk too
 * full to write it, which the log cannot say, so status, the dashboard and the journal do. And, for
 * any daemon, give memory back after a burst: the serial collector keeps the heap a burst grew it to
 * (a first hashing of 100,000 files and five builds left 165 MB committed around 40 MB in use) and
 * shrinks it only after a full collection. Once nothing has happened for {@link #QUIET_BEFORE_TRIM},
 * and the heap grew by 8 MB since the last trim (or a trim is estimated to hand back as much), one
 * full collection runs (a tenth of a second, while idle) and the JVM hands the rest back ({@link HeapTrim}).
 */
final class Housekeeping implements AutoCloseable, RebuildListener {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final Duration EVERY = Duration.ofSeconds(10);
    static final Duration QUIET_BEFORE_TRIM = Duration.ofSeconds(20);
    static final Duration STATE_CHECK = Duration.ofSeconds(2);

    private final DabDir dab;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dab-housekeeping"));
    private volatile Optional<String> diskWarning = Optional.empty();
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean trimmedSinceActivity;
    /** The heap after the last trim, or at the start: a burst that grew it past this is worth a trim. */
    private volatile long heapFloor = HeapTrim.committed();

    private Housekeeping(DabDir dab) {
        this.dab = dab;
    }

    /** Starts the chores for a detached daemon; a foreground one writes no log file, so it has none. */
    static Housekeeping start(DabDir dab, boolean detached) {
        Housekeeping chores = new Housekeeping(dab);
        if (detached) {
            chores.thread.scheduleWithFixedDelay(chores::capLog, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
            chores.thread.scheduleWithFixedDelay(chores::checkDiskSpace, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
        }
        chores.thread.scheduleWithFixedDelay(chores::trimHeapAfterABurst, EVERY.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
        return chores;
    }

    /**
     * Runs {@code action} once, on this thread, when one of {@code paths} is gone (looked at every
     * {@link #STATE_CHECK}): the daemon's state folder and control socket, which a {@code git clean -fdx}
     * or an {@code rm -rf .dab} takes away.
     */
    void whenRemoved(java.util.List<java.nio.file.Path> paths, Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        thread.scheduleWithFixedDelay(() -> {
            if (!done.get() && paths.stream().anyMatch(p -> !java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    && done.compareAndSet(false, true)) {
                action.run();
            }
        }, STATE_CHECK.toMillis(), STATE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    Optional<String> diskWarning() {
        return diskWarning;
    }

    private void checkDiskSpace() {
        Optional<String> now = DiskSpace.lowSpaceWarning(dab.dir());
        Optional<String> before = diskWarning;
        diskWarning = now;
        if (now.isPresent() && before.isEmpty()) {
            LOG.warn(now.get());
            DiskSpace.tellTheJournal(now.get());
        } else if (now.isEmpty() && before.isPresent()) {
            LOG.info("there is space on the disk again: the log is written again");
        }
    }

    /** Every event of the engine (a change seen, a build, a redeploy) is activity: no trim until it has been quiet a while. */
    @Override
    public void on(RebuildEvent event) {
        lastActivity = System.nanoTime();
        trimmedSinceActivity = false;
    }

    private void trimHeapAfterABurst() {
        if (trimmedSinceActivity || System.nanoTime() - lastActivity < QUIET_BEFORE_TRIM.toNanos()) {
            return;
        }
        trimmedSinceActivity = true;
        if (HeapTrim.worthIt(heapFloor)) {
            HeapTrim.Committed committed = HeapTrim.collectAndShrink();
            heapFloor = committed.after();
            LOG.debugf("heap trimmed after a burst: %d MB committed, was %d MB", committed.after() >> 20, committed.before() >> 20);
        }
    }

    private void capLog() {
        try {
            if (LogCap.capIfNeeded(dab.logFile(), dab.logBackup(), LogCap.DEFAULT_MAX_BYTES)) {
                LOG.infof("log capped: the previous %d MB are in %s", LogCap.DEFAULT_MAX_BYTES >> 20, dab.logBackup());
            }
        } catch (IOException e) {
            LOG.warnf("cannot cap the log %s: %s", dab.logFile(), e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
