package dev.autorebuild.cli;

import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.engine.EngineSettings;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@TopCommand
@Command(name = "auto-rebuild", mixinStandardHelpOptions = true, version = "auto-rebuild 0.1.0",
        sortOptions = false,
        description = {
                "Watches a workspace of Docker components (sub-folders holding a Dockerfile)",
                "and rebuilds a component's image as soon as its files really change.",
                "",
                "  auto-rebuild -t DIR          start the workspace's daemon in the background",
                "  auto-rebuild -t DIR -f       run it in the foreground (Ctrl-C quits)",
                "  auto-rebuild -s COMMAND      status, quit, stop, redeploy or reload it",
                ""},
        footerHeading = "%nSignals (plain kill works too):%n",
        footer = {"  quit = SIGTERM (lets builds in progress finish, then exits)",
                "  stop = SIGINT (cancels builds in progress, exits now)",
                "  redeploy = SIGUSR1, reload = SIGHUP",
                "State and log: DIR/.dab/ (auto-rebuild.pid, auto-rebuild.log)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:error (bad workspace, daemon failed to start, already running, no answer)",
                "2:invalid arguments", "3:no daemon is running for that workspace (-s)"})
public class AutoRebuildCommand implements Callable<Integer> {

    @Option(names = {"-t", "--target"}, paramLabel = "DIR",
            description = "the workspace (default: the current folder; for -s: the daemon's workspace that holds the current folder, or the only daemon running)")
    Path target;

    @Option(names = {"-f", "--foreground"}, description = "run the daemon in this terminal instead of the background")
    boolean foreground;

    @Option(names = {"-s", "--signal"}, paramLabel = "COMMAND",
            description = "send a command to the running daemon: ${COMPLETION-CANDIDATES}")
    DaemonControl.Command signal;

    @Option(names = "--quiet-period", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "200ms",
            description = "build once a component's files have been quiet this long (default: ${DEFAULT-VALUE})")
    Duration quietPeriod;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2s",
            description = "build at the latest this long after a component's first change, even if writes go on (default: ${DEFAULT-VALUE})")
    Duration maxWait;

    @Option(names = "--parallel-builds", paramLabel = "N", defaultValue = "2", description = "components that may build at once (default: ${DEFAULT-VALUE})")
    int parallelBuilds;

    @Option(names = "--quit-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2m",
            description = "how long a quit waits for builds in progress before cancelling them (default: ${DEFAULT-VALUE})")
    Duration quitTimeout;

    /** Set by the launcher for the daemon it starts: stdout is the log file, to be capped. */
    @Option(names = "--detached", hidden = true)
    boolean detached;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (signal != null) {
            return new DaemonControl(out, err).run(signal, Optional.ofNullable(target));
        }
        Path workspace = (target == null ? Path.of("") : target).toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            err.println("auto-rebuild: " + workspace + " is not a folder; pass the workspace with -t DIR");
            return 1;
        }
        EngineSettings settings;
        try {
            settings = new EngineSettings(new DebounceSettings(quietPeriod, maxWait), parallelBuilds);
        } catch (IllegalArgumentException e) {
            err.println("auto-rebuild: " + e.getMessage());
            return 1;
        }
        if (!foreground) {
            return DaemonStart.start(workspace, daemonArguments(workspace), out, err);
        }
        return new DaemonRun(workspace, settings, quitTimeout, detached, err).run();
    }

    /** This invocation's settings, for the detached daemon (which runs in the workspace, so paths are absolute). */
    private List<String> daemonArguments(Path workspace) {
        return List.of("-t", workspace.toString(), "--foreground", "--detached",
                "--quiet-period", quietPeriod.toMillis() + "ms", "--max-wait", maxWait.toMillis() + "ms",
                "--parallel-builds", Integer.toString(parallelBuilds), "--quit-timeout", quitTimeout.toMillis() + "ms");
    }

    /** Only the daemon in this process needs the Quarkus runtime; everything else answers before it boots. */
    static boolean needsRuntime(String... args) {
        try {
            CommandLine.ParseResult parsed = new CommandLine(new AutoRebuildCommand()).parseArgs(args);
            return parsed.hasMatchedOption("--foreground") && !parsed.hasMatchedOption("--signal")
                    && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested();
        } catch (CommandLine.ParameterException e) {
            return false; // the plain path prints the usage error
        }
    }
}
