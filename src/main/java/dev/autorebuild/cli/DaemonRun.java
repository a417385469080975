package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import dev.autorebuild.daemon.ControlSocket;
import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DiskSpace;
import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.daemon.LogCap;
import dev.autorebuild.daemon.PidFile;
import dev.autorebuild.daemon.ProcessStart;
import dev.autorebuild.daemon.Signals;
import dev.autorebuild.daemon.WorkspaceLock;
import dev.autorebuild.docker.DockerClients;
import dev.autorebuild.docker.DockerContainers;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.engine.BuildHistory;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.web.AccessToken;
import dev.autorebuild.web.DaemonLink;
import dev.autorebuild.web.DaemonMetrics;
import dev.autorebuild.web.EventHub;
import dev.autorebuild.web.LiveDaemon;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduler;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.InvalidConfigException;
import dev.autorebuild.watch.SingleFileWatch;
import dev.autorebuild.engine.RebuildListener;
import dev.autorebuild.engine.Rebuilder;
import dev.autorebuild.engine.StatusBoard;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon itself, in this process: one per workspace (the lock), announced by the PID file and the
 * per-user registry, answering {@code status} on its control socket and its commands as signals.
 * {@code --foreground} runs it here; the launcher runs the same thing detached, with {@code --detached}.
 */
final class DaemonRun {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final Duration LOG_CAP_CHECK = Duration.ofSeconds(10);

    private final Path workspace;
    private final FileConfigSource configSource;
    private final boolean detached;
    private final PrintWriter err;
    private final DaemonRegistry registry = DaemonRegistry.forUser(System.getenv());
    private final DabDir dab;
    private final ProcessStart self = ProcessStart.current();
    private final Instant started = Instant.now();
    private final AtomicBoolean ending = new AtomicBoolean();
    /** 1 once the daemon ends because it cannot go on watching. */
    private volatile int exitStatus;
    private final AtomicLong reloads = new AtomicLong();
    private volatile Optional<String> dashboard = Optional.empty();
    private volatile Optional<String> diskWarning = Optional.empty();

    DaemonRun(Path workspace, FileConfigSource configSource, boolean detached, PrintWriter err) {
        this.workspace = workspace;
        this.configSource = configSource;
        this.detached = detached;
        this.err = err;
        this.dab = DabDir.of(workspace);
    }

    int run() throws Exception {
        WorkspaceLock.Attempt attempt = WorkspaceLock.acquire(dab, self);
        if (attempt instanceof WorkspaceLock.HeldBy held) {
            err.println("auto-rebuild: " + DaemonStart.alreadyWatched(workspace, held.holder()));
            return 1;
        }
        WorkspaceLock.Acquired acquired = (WorkspaceLock.Acquired) attempt;
        try (WorkspaceLock lock = acquired.lock()) {
            replaceStaleState(acquired.previousHolder());
            PidFile.write(dab.pidFile(), self.pid());
            registry.register(workspace, self);
            try {
                watchUntilEnded();
            } catch (InvalidConfigException e) {
                err.println("auto-rebuild: the configuration is invalid; not watching:");
                err.println(e.getMessage());
                return 1;
            } catch (IllegalArgumentException | IOException e) {
                err.println("auto-rebuild: cannot start watching: " + e.getMessage());
                return 1;
            } finally {
                PidFile.delete(dab.pidFile());
                registry.unregister(workspace, self);
            }
        }
        return exitStatus;
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

    private void watchUntilEnded() throws IOException {
        Clock clock = Clock.systemDefaultZone();
        StatusBoard board = new StatusBoard(clock);
        BuildHistory history = new BuildHistory(clock);
        EventHub events = new EventHub(clock);
        DaemonMetrics metrics = new DaemonMetrics(Arc.container().select(MeterRegistry.class).get());
        RebuildListener seen = RebuildListener.all(board, history, events, metrics); // what the status, API and metrics show
        ExecutorService contextWriters = Executors.newCachedThreadPool(daemonThreads("dab-context"));
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemonThreads("dab-housekeeping"));
        try (var docker = DockerClients.fromEnvironment()) {
            DockerImageBuilder images = new DockerImageBuilder(docker, contextWriters, DockerClients.environmentAddress());
            RedeployDesk[] desk = new RedeployDesk[1]; // the engine's listeners need the desk, the desk needs the engine
            Rebuilder[] engine = new Rebuilder[1];
            boolean live = !detached && !Boolean.getBoolean("quarkus.log.console.json.enabled") && TerminalView.supported(System.getenv());
            ConsoleReporter console = new ConsoleReporter(!live);
            TerminalView terminal = live ? new TerminalView(System.out, System.getenv(), TerminalView.columns()).install() : null;
            RebuildListener shown = RebuildListener.all(console, terminal == null ? event -> { } : terminal,
                    new DesktopNotifier(() -> engine[0].config().notifyDesktop(), System.getenv()));
            AutoRedeploy auto = new AutoRedeploy(Arc.container().select(Scheduler.class).get(), () -> engine[0].config(),
                    () -> desk[0].redeployPending("automatic, deployment.auto"));
            RebuildListener leftBehind = event -> {
                if (event instanceof RebuildEvent.ComponentRemoved removed && desk[0] != null) {
                    desk[0].componentRemoved(removed.component());
                } else if (event instanceof RebuildEvent.PipelineStopped stopped && engine[0] != null) {
                    // never claim to watch while nothing is watched: end, non-zero, with the reason in the log
                    exitStatus = 1;
                    Thread ender = new Thread(() -> end(engine[0], "the change pipeline stopped (" + stopped.reason()
                            + "; a bug: please report it with this log)", Duration.ZERO), "dab-fatal");
                    ender.start();
                }
            };
            try (Rebuilder rebuilder = new Rebuilder(workspace, configSource, images, RebuildListener.all(shown, seen, auto, leftBehind))) {
                engine[0] = rebuilder;
                Redeployer redeployer = new Redeployer(workspace, new DockerContainers(docker), images,
                        RebuildListener.all(shown, seen), rebuilder::config);
                try (RedeployDesk redeploys = new RedeployDesk(rebuilder, redeployer)) {
                    desk[0] = redeploys;
                    rebuilder.start();
                    LOG.infof("configuration: %s", rebuilder.configOrigin());
                    Signals.QUIT.handle(() -> end(rebuilder, "quit (SIGTERM)", rebuilder.config().quitTimeout()));
                    // In a terminal, Ctrl-C is a quit and a second Ctrl-C a stop; detached, SIGINT is always a stop.
                    Signals.STOP.handle(() -> end(rebuilder, detached || ending.get() ? "stop (SIGINT)" : "quit (Ctrl-C)",
                            detached || ending.get() ? Duration.ZERO : rebuilder.config().quitTimeout()));
                    Signals.REDEPLOY.handle(() -> redeploys.redeployPending("SIGUSR1"));
                    Signals.RELOAD.handle(() -> reload(rebuilder));
                    warnAboutIgnoredSignals();
                    if (detached) {
                        housekeeping.scheduleWithFixedDelay(this::capLog, 0, LOG_CAP_CHECK.toSeconds(), TimeUnit.SECONDS);
                        housekeeping.scheduleWithFixedDelay(this::checkDiskSpace, 0, LOG_CAP_CHECK.toSeconds(), TimeUnit.SECONDS);
                    }
                    metrics.bind(rebuilder.counters());
                    dashboard = serveDashboard(new LiveDaemon(workspace, AccessToken.random().value(), board, history, redeployer::state,
                            rebuilder.counters(), rebuilder::rebuild, names -> redeployFromApi(redeploys, names), events, () -> diskWarning.stream().toList()));
                    try (ControlSocket control = ControlSocket.serve(dab, request -> answer(request, board, rebuilder, redeployer, redeploys));
                         SingleFileWatch external = watchExternalConfig(rebuilder)) {
                        Quarkus.waitForExit();
                    } finally {
                        Arc.container().select(DaemonLink.class).get().detach();
                        events.complete();
                        java.nio.file.Files.deleteIfExists(dab.dashboardFile()); // the token file stays: a scrape job keeps its path
                    }
                }
            } finally {
                if (terminal != null) {
                    terminal.close();
                }
            }
        } finally {
            housekeeping.shutdownNow();
            contextWriters.shutdownNow();
        }
    }

    /**
     * Hands the daemon to the HTTP side and writes the dashboard's address, with its token, to the
     * owner-only {@code .dab/dashboard}. Returns that address, or empty when it could not be written.
     */
    private Optional<String> serveDashboard(LiveDaemon daemon) {
        Arc.container().select(DaemonLink.class).get().attach(daemon);
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(0);
        String shownHost = host.equals("0.0.0.0") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        String url = "http://" + shownHost + ":" + port + "/?token=" + daemon.token();
        try {
            dab.writeDashboard(url, daemon.token());
        } catch (IOException e) {
            LOG.warnf("cannot write %s (%s): the dashboard runs, and -s status still shows its address", dab.dashboardFile(), e.getMessage());
        }
        LOG.infof("dashboard and API on http://%s:%d/ (the address with its token: auto-rebuild -s status, or %s)", shownHost, port, dab.dashboardFile());
        return Optional.of(url);
    }

    private static LiveDaemon.RedeployOutcome redeployFromApi(RedeployDesk desk, List<String> names) {
        try {
            RedeployDesk.Outcome outcome = desk.redeployNamed(names, names.isEmpty() ? "HTTP API" : "HTTP API, for " + String.join(", ", names));
            return new LiveDaemon.RedeployOutcome(outcome.ok(), outcome.summary());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LiveDaemon.RedeployOutcome(false, "interrupted");
        }
    }

    /** A -c file outside the workspace is not seen by the workspace watcher: watch it on its own. */
    private SingleFileWatch watchExternalConfig(Rebuilder rebuilder) throws IOException {
        Optional<Path> file = configSource.file().filter(f -> !f.startsWith(workspace));
        return file.isEmpty() ? null : SingleFileWatch.start(file.get(), () -> rebuilder.reload("the configuration changed"));
    }

    /**
     * Quit (graceful) or stop (immediate). Runs on the signal's thread and finishes the work before
     * asking Quarkus to exit: once Quarkus shuts down, its log handlers may already be closed. A stop
     * during a quit cancels the builds the quit is waiting for.
     */
    private void end(Rebuilder rebuilder, String why, Duration grace) {
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
        LOG.infof("daemon %d ended", self.pid());
        Quarkus.asyncExit(exitStatus);
    }

    private static void warnAboutIgnoredSignals() {
        for (Signals signal : Signals.values()) {
            if (signal.isIgnoredHere()) {
                LOG.warnf("SIG%s is ignored in this process (inherited from the program that started it): "
                        + "'-s %s' cannot reach this daemon", signal.signalName(), signal.name().toLowerCase());
            }
        }
    }

    private void reload(Rebuilder rebuilder) {
        LOG.info("reload requested (SIGHUP): re-reading the configuration and the ignore files, rehashing every component");
        rebuilder.reload("reload requested").whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.errorf("reload failed: %s - the previous settings stay", failure.getMessage());
            }
            reloads.incrementAndGet();
        });
    }

    /** Between the names of a {@code redeploy} request on the control socket: no folder name holds it, so spaces survive. */
    static final String NAME_SEPARATOR = "/";

    private String answer(String request, StatusBoard board, Rebuilder rebuilder, Redeployer redeployer, RedeployDesk redeploys) {
        if (request.startsWith("redeploy ")) {
            return redeploys.redeployNamed(List.of(request.substring("redeploy ".length()).split(NAME_SEPARATOR)));
        }
        return switch (request) {
            case "ping" -> "pid=" + self.pid() + " started=" + started.toEpochMilli() + " quit-timeout-ms=" + rebuilder.config().quitTimeout().toMillis()
                    + " redeploys=" + redeploys.completed() + " reloads=" + reloads.get() + "\n";
            case "status" -> StatusReport.render(workspace, self.pid(), Duration.between(started, Instant.now()),
                    detached ? Optional.of(dab.logFile()) : Optional.empty(), dashboard, diskWarning, rebuilder.configOrigin(), board, redeployer::state,
                    redeploys.waitingForBuild());
            case "last-redeploy" -> redeploys.lastSummary() + "\n";
            case "engine" -> board.engineOutage().map(o -> "down " + o.since().toEpochMilli() + " " + o.reason()).orElse("ok") + "\n";
            default -> "unknown request '" + request + "'\n";
        };
    }

    /** Housekeeping: a disk too full for the log is shown where the log cannot show it; its return is logged. */
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

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
