package dev.autorebuild.cli;

import dev.autorebuild.core.Threads;
import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DiskSpace;
import dev.autorebuild.daemon.LogCap;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A detached daemon's chores, every ten seconds: keep its log under its cap, and notice a disk too
 * full to write it, which the log cannot say, so status, the dashboard and the journal do.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final Duration EVERY = Duration.ofSeconds(10);

    private final DabDir dab;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dab-housekeeping"));
    private volatile Optional<String> diskWarning = Optional.empty();

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
        return chores;
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
