package dev.autorebuild.cli;

import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.daemon.PidFile;
import dev.autorebuild.daemon.ProcessStart;
import dev.autorebuild.daemon.StartReport;
import dev.autorebuild.daemon.WorkspaceLock;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.engine.InvalidConfigException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The daemon itself, in this process: one per workspace (the lock), announced by the PID file and the
 * per-user registry, answering {@code status} on its control socket and its commands as signals.
 * {@code --foreground} runs it here; the launcher runs the same thing detached, with {@code --detached}.
 */
final class DaemonRun {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");

    private final Path workspace;
    private final FileConfigSource configSource;
    private final boolean detached;
    private final StartReport report;
    private final PrintWriter err;
    private final DaemonRegistry registry = DaemonRegistry.forUser(System.getenv());
    private final DabDir dab;
    private final ProcessStart self = ProcessStart.current();

    DaemonRun(Path workspace, FileConfigSource configSource, boolean detached, StartReport report, PrintWriter err) {
        this.workspace = workspace;
        this.configSource = configSource;
        this.detached = detached;
        this.report = report;
        this.err = err;
        this.dab = DabDir.of(workspace);
    }

    int run() throws Exception {
        WorkspaceLock.Attempt attempt = WorkspaceLock.acquire(dab, self);
        if (attempt instanceof WorkspaceLock.HeldBy held) {
            // two starts at once: both launchers found the lock free, and this daemon lost the race for it
            return AutoRebuildCommand.refuse(workspace, "auto-rebuild: " + DaemonStart.alreadyWatched(workspace, held.holder()) + "\n", err, detached, report);
        }
        WorkspaceLock.Acquired acquired = (WorkspaceLock.Acquired) attempt;
        try (WorkspaceLock lock = acquired.lock()) {
            replaceStaleState(acquired.previousHolder());
            PidFile.write(dab.pidFile(), self.pid());
            registry.register(workspace, self);
            try {
                return new WatchSession(workspace, configSource, dab, self, detached, report).watchUntilEnded();
            } catch (InvalidConfigException e) {
                return AutoRebuildCommand.refuse(workspace, "auto-rebuild: the configuration is invalid; not watching:\n" + e.getMessage() + "\n", err, detached, report);
            } catch (IllegalArgumentException | IOException e) {
                return AutoRebuildCommand.refuse(workspace, "auto-rebuild: cannot start watching: " + e.getMessage() + "\n", err, detached, report);
            } finally {
                PidFile.delete(dab.pidFile());
                registry.unregister(workspace, self);
            }
        }
    }

    /** The lock was free, so whatever PID file is left belongs to a daemon that died without cleaning up. */
    private void replaceStaleState(Optional<ProcessStart> previous) {
        Optional<Long> stalePid = PidFile.read(dab.pidFile());
        if (stalePid.isEmpty()) {
            return;
        }
        ProcessStart before = previous.filter(p -> p.pid() == stalePid.get()).orElse(new ProcessStart(stalePid.get(), -1));
        LOG.warnf("replacing a stale PID file (%s): the previous daemon ended without cleaning up", before.whyNotAlive());
    }
}
