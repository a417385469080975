package dev.autorebuild.cli;

import dev.autorebuild.deploy.AutoRedeploy;
import dev.autorebuild.deploy.RedeployDesk;

import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.Threads;
import dev.autorebuild.daemon.ControlSocket;
import dev.autorebuild.daemon.StartReport;
import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.ProcessStart;
import dev.autorebuild.daemon.Signals;
import dev.autorebuild.docker.DockerClients;
import dev.autorebuild.docker.EngineLink;
import dev.autorebuild.docker.EngineTarget;
import dev.autorebuild.docker.EngineTargets;
import dev.autorebuild.docker.DockerContainers;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.view.BuildHistory;
import dev.autorebuild.engine.RebuildListener;
import dev.autorebuild.engine.Rebuilder;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.view.StatusBoard;
import dev.autorebuild.watch.SingleFileWatch;
import dev.autorebuild.web.AccessToken;
import dev.autorebuild.web.DaemonLink;
import dev.autorebuild.web.DaemonMetrics;
import dev.autorebuild.web.EventHub;
import dev.autorebuild.web.LiveDaemon;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.scheduler.Scheduler;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One daemon's watch, from start to end: builds the engine and its adapters, the redeploy desk, the
 * views (console or live terminal, status board, history, dashboard, metrics), the control socket and
 * the signal handlers, then waits until a quit, a stop or a fatal end.
 */
final class WatchSession {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    /** How long a container's inspect may take before the engine counts as not answering (a hung engine). */
    private static final Duration QUICK_ANSWER = Duration.ofSeconds(10);

    private final Path workspace;
    private final FileConfigSource configSource;
    private final DabDir dab;
    private final ProcessStart self;
    private final boolean detached;
    private final StartReport report;
    private final Instant started = Instant.now();
    private final DaemonEnding ending;

    WatchSession(Path workspace, FileConfigSource configSource, DabDir dab, ProcessStart self, boolean detached, StartReport report) {
        this.workspace = workspace;
        this.configSource = configSource;
        this.dab = dab;
        this.self = self;
        this.detached = detached;
        this.report = report;
        this.ending = new DaemonEnding(workspace, self.pid(), detached);
    }

    /** Watches until the daemon is told to end; returns its exit status. */
    int watchUntilEnded() throws IOException {
        dev.autorebuild.core.Threads.reportUncaughtEverywhere(dev.autorebuild.docker.SyncShell::isExpectedEnd);
        Clock clock = Clock.systemDefaultZone();
        StatusBoard board = new StatusBoard(clock);
        BuildHistory history = new BuildHistory(clock);
        EventHub events = new EventHub(clock);
        DaemonMetrics metrics = new DaemonMetrics();
        RebuildListener seen = RebuildListener.all(board, history, events, metrics); // what the status, API and metrics show
        ExecutorService contextWriters = Executors.newCachedThreadPool(Threads.named("dab-context"));
        boolean live = !detached && !Boolean.getBoolean("quarkus.log.console.json.enabled") && TerminalView.supported(System.getenv());
        ConsoleReporter console = new ConsoleReporter(!live);
        EngineTarget engine;
        try {
            engine = EngineChoice.resolve(configSource);
        } catch (EngineTargets.Unusable e) {
            throw new IllegalStateException(e.getMessage(), e); // checked before the start; only a change since gets here
        }
        try (EngineLink link = EngineLink.open(engine); // ssh://: a tunnel's socket, else the engine's own address
             var docker = DockerClients.forTarget(link.connectTo());
             var quick = DockerClients.forTarget(link.connectTo(), QUICK_ANSWER);
             TerminalView terminal = live ? new TerminalView(System.out, System.getenv(), TerminalView.columns()).install() : null;
             Housekeeping housekeeping = Housekeeping.start(dab, detached)) {
            DockerImageBuilder images = new DockerImageBuilder(docker, contextWriters, link.connectTo(), engine.host(), link::transportError);
            RebuildListener shown = RebuildListener.all(console, terminal == null ? event -> { } : terminal);
            try (Rebuilder rebuilder = new Rebuilder(workspace, configSource, images, RebuildListener.all(shown, seen, housekeeping))) {
                DockerContainers containers = new DockerContainers(docker, quick, engine.publishedHost(), engine.remote());
                var services = new dev.autorebuild.docker.DockerServices(docker, dev.autorebuild.docker.RegistryAuth.fromEnvironment(System.getenv()));
                Redeployer redeployer = new Redeployer(workspace, containers, java.util.Optional.of(services), images,
                        RebuildListener.all(shown, seen), rebuilder::config);
                var synced = new dev.autorebuild.fs.SyncedContainers(dab.dir().resolve("synced"));
                redeployer.containersSyncedBeforeStart(synced.recorded());
                rebuilder.useLiveSync(new dev.autorebuild.engine.LiveSync(workspace, containers, redeployer, RebuildListener.all(shown, seen), synced));
                try (RedeployDesk redeploys = new RedeployDesk(rebuilder, redeployer)) {
                    rebuilder.subscribe(new DesktopNotifier(() -> rebuilder.config().notifyDesktop(), System.getenv()));
                    rebuilder.subscribe(new AutoRedeploy(Arc.container().select(Scheduler.class).get(), rebuilder::config,
                            () -> redeploys.redeployPending("automatic, deployment.auto")));
                    rebuilder.subscribe(event -> leftBehind(event, rebuilder, redeploys));
                    CompletableFuture<Void> answering = new CompletableFuture<>();
                    rebuilder.start(answering); // first looks once the control socket answers: the start returns sooner
                    LOG.infof("configuration: %s", rebuilder.configOrigin());
                    LOG.infof("engine: %s", engine.describe());
                    handleSignals(rebuilder, redeploys);
                    metrics.bind(rebuilder.counters());
                    Optional<String> dashboard = serveDashboard(new LiveDaemon(workspace, AccessToken.random().value(), board, history,
                            redeployer::state, rebuilder.counters(), rebuilder::rebuild, names -> redeployFromApi(redeploys, names), events,
                            () -> housekeeping.diskWarning().stream().toList(), engine.describe(), metrics));
                    ControlAnswers answers = new ControlAnswers(new ControlAnswers.DaemonFacts(self.pid(), started.toEpochMilli()), board, rebuilder,
                            redeploys, () -> StatusReport.render(workspace, self.pid(), Duration.between(started, Instant.now()),
                            detached ? Optional.of(dab.logFile()) : Optional.empty(), dashboard, housekeeping.diskWarning(),
                            rebuilder.configOrigin() + notBuiltHere(rebuilder.config()) + "\nengine: " + engine.describe(),
                            board, redeployer::state, redeploys.waitingForBuild()));
                    try (ControlSocket control = ControlSocket.serve(dab, answers);
                         SingleFileWatch external = watchExternalConfig(rebuilder)) {
                        // the start is told first: the first looks that answering releases hash on every core
                        report.ready(DaemonStart.readyText(workspace, self.pid(), dab.logFile(), board.engineOutage().map(o -> o.reason())));
                        answering.complete(null);
                        // without its state folder (lock, pid file) and socket no command reaches this daemon, and a
                        // second start would watch the same workspace beside it: it ends instead, as on a quit
                        housekeeping.whenRemoved(List.of(dab.dir(), ControlSocket.pathFor(dab)), () -> ending.end(rebuilder,
                                "quit: " + dab.dir() + " or its control socket was deleted, so no command can reach this daemon"
                                        + " (start it again: auto-rebuild -t " + workspace + ")", rebuilder.config().quitTimeout()));
                        Quarkus.waitForExit();
                    } finally {
                        Arc.container().select(DaemonLink.class).get().detach();
                        events.complete();
                        Files.deleteIfExists(dab.dashboardFile()); // the token file stays: a scrape job keeps its path
                    }
                }
            }
        } finally {
            contextWriters.shutdownNow();
        }
        return ending.exitStatus();
    }

    /** The Compose services left to Compose, for the status's configuration line. */
    private static String notBuiltHere(dev.autorebuild.core.config.DabConfig config) {
        return config.compose().filter(c -> !c.notBuilt().isEmpty())
                .map(c -> "\n  not built here: " + c.notBuiltList())
                .orElse("");
    }

    /** What the engine's events leave for the daemon to do: report a removed component's container, end when watching cannot go on. */
    private void leftBehind(RebuildEvent event, Rebuilder rebuilder, RedeployDesk redeploys) {
        if (event instanceof RebuildEvent.ComponentRemoved removed) {
            redeploys.componentRemoved(removed.component());
        } else if (event instanceof RebuildEvent.PipelineStopped stopped) {
            ending.endFatally(rebuilder, "the change pipeline stopped (" + stopped.reason() + "; a bug: please report it with this log)");
        }
    }

    private void handleSignals(Rebuilder rebuilder, RedeployDesk redeploys) {
        Signals.QUIT.handle(() -> ending.end(rebuilder, "quit (SIGTERM)", rebuilder.config().quitTimeout()));
        // In a terminal, Ctrl-C is a quit and a second Ctrl-C a stop; detached, SIGINT is always a stop.
        Signals.STOP.handle(() -> {
            boolean stop = detached || ending.started();
            ending.end(rebuilder, stop ? "stop (SIGINT)" : "quit (Ctrl-C)", stop ? Duration.ZERO : rebuilder.config().quitTimeout());
        });
        Signals.REDEPLOY.handle(() -> redeploys.redeployPending("SIGUSR1")
                .thenAccept(outcome -> LOG.infof("redeploy (SIGUSR1): %s", outcome.summary())));
        Signals.RELOAD.handle(() -> {
            LOG.info("reload requested (SIGHUP): re-reading the configuration and the ignore files, rehashing every component");
            rebuilder.reload("reload requested").whenComplete((refused, failure) -> {
                if (failure != null) {
                    LOG.errorf("reload failed: %s - the previous settings stay", failure.getMessage());
                }
            });
        });
        for (Signals signal : Signals.values()) {
            if (signal.isIgnoredHere()) {
                LOG.warnf("SIG%s is ignored in this process (inherited from the program that started it): "
                        + "'kill -%s' cannot reach this daemon", signal.signalName(), signal.signalName());
            }
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
}
