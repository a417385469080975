package dev.autorebuild.cli;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.daemon.StartReport;
import dev.autorebuild.engine.ConfigSource;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@TopCommand
@Command(name = "auto-rebuild", mixinStandardHelpOptions = true, version = "auto-rebuild 0.1.0",
        subcommands = {CheckIgnoreCommand.class, CompletionCommand.class, ManPageCommand.class},
        sortOptions = false,
        description = {
                "Watches a workspace of Docker components (sub-folders holding a Dockerfile)",
                "and rebuilds a component's image as soon as its files really change.",
                "",
                "  auto-rebuild -t DIR          start the workspace's daemon in the background",
                "  auto-rebuild -t DIR -f       run it in the foreground (Ctrl-C quits)",
                "  auto-rebuild -s COMMAND      status, quit, stop, redeploy or reload it",
                "  auto-rebuild --check-config  check dab.yml and the ignore files",
                "  auto-rebuild check-ignore PATH...  why a file does (not) trigger a build",
                "  auto-rebuild completion      a bash/zsh completion script",
                "  auto-rebuild manpage         this help as a man page (troff)",
                ""},
        footerHeading = "%nCommands and signals (plain kill works too):%n",
        footer = {"  quit = SIGTERM (lets builds in progress finish, then exits)",
                "  stop = SIGINT (cancels builds in progress, exits now)",
                "  status, redeploy, reload: over the control socket, with the outcome as exit code",
                "  (kill -USR1 redeploys and kill -HUP reloads too; the outcome is in the log)",
                "State and log: DIR/.dab/ (auto-rebuild.pid, auto-rebuild.log, auto-rebuild.sock)"},
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

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the configuration (default: DIR/dab.yml or DIR/dab.yaml, else built-in defaults); see dab.yml.example")
    Path config;

    @Option(names = "--check-config", description = "check the configuration and the ignore files, print what is wrong (file:line:column), start nothing")
    boolean checkConfig;

    @Option(names = "--quiet-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "build once a component's files have been quiet this long (dab.yml debounce.quiet-period; default 50ms)")
    Duration quietPeriod;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "build at the latest this long after a component's first change, even if writes go on (debounce.max-wait; default 2s)")
    Duration maxWait;

    @Option(names = "--parallel-builds", paramLabel = "N", description = "components that may build at once (build.parallelism; default 2)")
    Integer parallelBuilds;

    @Option(names = "--quit-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long a quit waits for builds in progress before cancelling them (daemon.quit-timeout; default 2m)")
    Duration quitTimeout;

    @CommandLine.Parameters(arity = "0..*", paramLabel = "NAME", description = "with -s redeploy: only these components")
    List<String> names = new ArrayList<>();

    /** Set by the launcher for the daemon it starts: stdout is the log file, to be capped. */
    @Option(names = "--detached", hidden = true)
    boolean detached;

    /** Set by bin/auto-rebuild for the daemon it starts: the pipe it waits on for the {@link StartReport}. */
    @Option(names = "--report-fd", hidden = true)
    Integer reportFd;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (signal != null && (checkConfig || foreground)) {
            err.println("auto-rebuild: -s talks to a running daemon; it cannot be combined with --check-config or -f");
            return 2;
        }
        if (!names.isEmpty() && signal != DaemonControl.Command.redeploy) {
            err.println("auto-rebuild: component names are only taken by -s redeploy (got " + String.join(" ", names) + ")");
            return 2;
        }
        if (signal != null) {
            return new DaemonControl(out, err).run(signal, Optional.ofNullable(target), names);
        }
        return start(out, err);
    }

    /** Everything but {@code -s}: check the configuration, start the daemon in the background, or run it here. */
    int start(java.io.PrintWriter out, java.io.PrintWriter err) throws Exception {
        Path workspace = (target == null ? Path.of("") : target).toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            err.println("auto-rebuild: " + workspace + " is not a folder; pass the workspace with -t DIR");
            return 1;
        }
        FileConfigSource configSource = new FileConfigSource(workspace, Optional.ofNullable(config), overrides());
        if (checkConfig) {
            return ConfigCheck.run(workspace, configSource, out, err);
        }
        if (!foreground) {
            // the daemon checks the configuration and the engine itself and says why it refuses (StartRefusal):
            // checking them here first delayed its start by reading dab.yml twice (bench/ scenario 5)
            return DaemonStart.start(workspace, daemonArguments(workspace), out, err);
        }
        java.io.StringWriter refusal = new java.io.StringWriter();
        java.io.PrintWriter said = new java.io.PrintWriter(refusal);
        if (configSource.load() instanceof ConfigSource.Rejected rejected) {
            said.println(invalidConfiguration(rejected));
        } else if (EngineChoice.checked(configSource, said, true).isPresent()) {
            return new DaemonRun(workspace, configSource, detached, startReport(), err).run();
        }
        said.flush();
        return refuse(workspace, refusal.toString(), err, detached, startReport());
    }

    /** What a start whose configuration is invalid says: the problems, each with its file, line and column. */
    static String invalidConfiguration(ConfigSource.Rejected rejected) {
        return "auto-rebuild: the configuration is invalid; nothing was started:\n" + rejected.problems();
    }

    /**
     * Ends a start that will not watch: {@code text} to stderr (the log, when detached) and, detached, to
     * whoever started the daemon: the launcher JVM reads {@code start-refused}, bin/auto-rebuild its report pipe.
     */
    static int refuse(Path workspace, String text, java.io.PrintWriter err, boolean detached, StartReport report) {
        err.print(text);
        err.flush();
        if (report.piped()) {
            report.refused(text);
        } else if (detached) {
            dev.autorebuild.daemon.StartRefusal.write(dev.autorebuild.daemon.DabDir.of(workspace), text);
        }
        return 1;
    }

    private StartReport startReport() {
        return StartReport.toDescriptor(reportFd == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(reportFd));
    }

    private FileConfigSource.Overrides overrides() {
        return new FileConfigSource.Overrides(Optional.ofNullable(quietPeriod), Optional.ofNullable(maxWait),
                Optional.ofNullable(parallelBuilds), Optional.ofNullable(quitTimeout));
    }

    /** This invocation's settings, for the detached daemon (which runs in the workspace, so paths are absolute). */
    List<String> daemonArguments(Path workspace) {
        List<String> args = new ArrayList<>(List.of("-t", workspace.toString(), "--foreground", "--detached"));
        if (config != null) {
            args.addAll(List.of("-c", config.toAbsolutePath().normalize().toString()));
        }
        if (quietPeriod != null) {
            args.addAll(List.of("--quiet-period", quietPeriod.toMillis() + "ms"));
        }
        if (maxWait != null) {
            args.addAll(List.of("--max-wait", maxWait.toMillis() + "ms"));
        }
        if (parallelBuilds != null) {
            args.addAll(List.of("--parallel-builds", parallelBuilds.toString()));
        }
        if (quitTimeout != null) {
            args.addAll(List.of("--quit-timeout", quitTimeout.toMillis() + "ms"));
        }
        return args;
    }

    /**
     * What the daemon needs before Quarkus boots, read from dab.yml: where the HTTP server listens and the
     * log format (both bound at boot, so a later edit applies at the next start), and whether the
     * workspace is watched through inotify, whose registration can then start at once. An unreadable or
     * invalid configuration gives the defaults here; the daemon then reports it properly.
     */
    static Boot boot(String... args) {
        AutoRebuildCommand command = new AutoRebuildCommand();
        try {
            new CommandLine(command).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return new Boot(Path.of("").toAbsolutePath(), DabConfig.DEFAULTS, java.util.Map.of(), Optional.empty());
        }
        Path workspace = (command.target == null ? Path.of("") : command.target).toAbsolutePath().normalize();
        return boot(workspace, Optional.ofNullable(command.config));
    }

    /** The same for the launcher's daemon, whose arguments {@link DetachedArgs} has read. */
    static Boot boot(DetachedArgs args) {
        return boot(args.workspace(), args.config());
    }

    private static Boot boot(Path workspace, Optional<Path> configFile) {
        ConfigSource.Result read = new FileConfigSource(workspace, configFile, FileConfigSource.Overrides.NONE).load();
        DabConfig config = read instanceof ConfigSource.Loaded loaded ? loaded.config() : DabConfig.DEFAULTS;
        return new Boot(workspace, config, java.util.Map.of("quarkus.http.host", config.http().host(),
                "quarkus.http.port", Integer.toString(config.http().port()),
                "quarkus.log.console.json.enabled", Boolean.toString(config.jsonLog())),
                read instanceof ConfigSource.Rejected rejected ? Optional.of(rejected) : Optional.empty());
    }

    /**
     * @param properties Quarkus's boot-time settings
     * @param rejected   the configuration's problems, when it is invalid (the settings are then the defaults)
     */
    record Boot(Path workspace, DabConfig config, java.util.Map<String, String> properties, Optional<ConfigSource.Rejected> rejected) {}

    /** Only the daemon in this process needs the Quarkus runtime; everything else answers before it boots. */
    static boolean needsRuntime(String... args) {
        try {
            CommandLine.ParseResult parsed = new CommandLine(new AutoRebuildCommand()).parseArgs(args);
            return parsed.hasMatchedOption("--foreground") && !parsed.hasMatchedOption("--signal")
                    && !parsed.hasMatchedOption("--check-config") && !parsed.hasSubcommand()
                    && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested();
        } catch (CommandLine.ParameterException e) {
            return false; // the plain path prints the usage error
        }
    }
}
