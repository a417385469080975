package dev.autorebuild.cli;

import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.docker.DockerClients;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.engine.EngineSettings;
import dev.autorebuild.engine.Rebuilder;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;
import picocli.CommandLine;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@TopCommand
@Command(name = "auto-rebuild", mixinStandardHelpOptions = true, version = "auto-rebuild 0.1.0",
        sortOptions = false,
        description = {
                "Watches a workspace of Docker components (sub-folders holding a Dockerfile)",
                "and rebuilds a component's image as soon as its files really change.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:error (bad arguments, unreadable workspace)"})
public class AutoRebuildCommand implements Callable<Integer> {

    @Option(names = {"-t", "--target"}, paramLabel = "DIR", description = "the workspace to watch (default: the current folder)")
    Path target = Path.of(".");

    @Option(names = {"-f", "--foreground"}, description = "run in the foreground; Ctrl-C stops it")
    boolean foreground;

    @Option(names = "--quiet-period", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "200ms",
            description = "build once a component's files have been quiet this long (default: ${DEFAULT-VALUE})")
    Duration quietPeriod;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2s",
            description = "build at the latest this long after a component's first change, even if writes go on (default: ${DEFAULT-VALUE})")
    Duration maxWait;

    @Option(names = "--parallel-builds", paramLabel = "N", defaultValue = "2", description = "components that may build at once (default: ${DEFAULT-VALUE})")
    int parallelBuilds;

    private static final Logger LOG = Logger.getLogger("auto-rebuild");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        Path workspace = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            err.println("auto-rebuild: " + workspace + " is not a folder; pass the workspace with -t DIR");
            return 1;
        }
        if (!foreground) {
            err.println("auto-rebuild: running detached in the background is not available in this version; "
                    + "run in the foreground with -f (--foreground)");
            return 1;
        }
        EngineSettings settings;
        try {
            settings = new EngineSettings(new DebounceSettings(quietPeriod, maxWait), parallelBuilds);
        } catch (IllegalArgumentException e) {
            err.println("auto-rebuild: " + e.getMessage());
            return 1;
        }
        ExecutorService contextWriters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dab-context");
            t.setDaemon(true);
            return t;
        });
        try (var docker = DockerClients.fromEnvironment();
             Rebuilder rebuilder = new Rebuilder(workspace, settings, new DockerImageBuilder(docker, contextWriters), new ConsoleReporter())) {
            rebuilder.start();
            stopOnSignal("INT", workspace);  // Ctrl-C
            stopOnSignal("TERM", workspace); // kill, systemd, docker stop
            Quarkus.waitForExit();
        } finally {
            contextWriters.shutdownNow();
        }
        return 0;
    }

    /**
     * A stop the user asked for is a normal exit (0), not death by signal (130/143): the handler ends
     * the wait above, so the engine is closed and the command returns normally.
     */
    private static void stopOnSignal(String name, Path workspace) {
        try {
            Signal.handle(new Signal(name), signal -> {
                // logged here: once shutdown starts, Quarkus may already have closed its log handlers
                LOG.info("stopping (SIG" + name + "): no longer watching " + workspace);
                Quarkus.asyncExit(0);
            });
        } catch (IllegalArgumentException e) {
            // the signal is ignored by our parent (e.g. a background job of a non-interactive shell): leave it so
        }
    }
}
