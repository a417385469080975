package dev.autorebuild.cli;

import dev.autorebuild.watch.EarlyWatch;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * The entry point. Only the daemon itself ({@code --foreground}, which the background start also runs)
 * boots Quarkus; the launcher, the {@code -s} client, help and usage errors run as plain picocli before
 * any runtime starts, so they answer in a fraction of a second.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine commandLine; // built by quarkus-picocli with CDI injection into the command

    public static void main(String... args) {
        java.util.Optional<DetachedArgs> detached = DetachedArgs.parse(args);
        // the plain background start never needs the runtime: asking picocli whether it does would build its model
        java.util.Optional<AutoRebuildCommand> plainStart = detached.isPresent() ? java.util.Optional.empty() : PlainStartArgs.parse(args);
        if (detached.isPresent() || (plainStart.isEmpty() && AutoRebuildCommand.needsRuntime(args))) {
            // Logging first, on this thread: the threads started next log, and two threads that both set up
            // java.util.logging and JBoss's LogContext at once wait on each other for ever (seen: a daemon hung at start)
            java.util.logging.LogManager.getLogManager();
            // the registration is the longest part of a big workspace's start: it begins before dab.yml is even
            // read (the launcher's daemon knows its folder from its command line), and a poll: true drops it
            detached.map(DetachedArgs::workspace).filter(java.nio.file.Files::isDirectory).ifPresent(EarlyWatch::begin);
            warmUp();
            AutoRebuildCommand.Boot boot = detached.map(AutoRebuildCommand::boot).orElseGet(() -> AutoRebuildCommand.boot(args));
            if (detached.isPresent() && boot.rejected().isPresent()) {
                // an invalid dab.yml ends the launcher's start before the runtime boots, so its user reads why at once
                exit(AutoRebuildCommand.refuse(boot.workspace(), AutoRebuildCommand.invalidConfiguration(boot.rejected().get()) + "\n",
                        new java.io.PrintWriter(System.err, true), true, dev.autorebuild.daemon.StartReport.toDescriptor(detached.get().reportFd())));
                return;
            }
            if (boot.config().watch().poll()) {
                EarlyWatch.discard();
            } else if (java.nio.file.Files.isDirectory(boot.workspace())) {
                EarlyWatch.begin(boot.workspace()); // on the second core while Quarkus boots (bench/ scenario 5); begun already when detached
            }
            boot.properties().forEach(System::setProperty);
            Quarkus.run(Main.class, args);
        } else {
            exit(plainStart.isPresent() ? startWithoutPicocli(plainStart.get()) : withPicocli(args));
        }
    }

    /**
     * Quarkus's exit handler: System.exit in production, the recorded exit code under @QuarkusMainTest.
     * The production one (a class of Quarkus's own) logs a debug line first, which sets up JBoss logging at
     * the very end of the launcher and the client: that part is skipped.
     */
    private static void exit(int exitCode) {
        java.util.function.BiConsumer<Integer, Throwable> handler = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        if (handler.getClass().getEnclosingClass() == ApplicationLifecycleManager.class) {
            System.exit(exitCode);
        } else {
            handler.accept(exitCode, null);
        }
    }

    private static int withPicocli(String... args) {
        CommandLine plain = new CommandLine(new AutoRebuildCommand());
        int exitCode = plain.execute(args);
        plain.getOut().flush(); // print() does not autoflush, and System.exit does not flush
        plain.getErr().flush();
        return exitCode;
    }

    /** The plain background start ({@link PlainStartArgs}); a failure is reported as picocli reports one. */
    private static int startWithoutPicocli(AutoRebuildCommand command) {
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        try {
            return command.start(out, err);
        } catch (Exception e) {
            e.printStackTrace(err);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Making the daemon's engine client loads some 600 classes and reads the JDK's trust store (the HTTP
     * client sets up TLS even for a unix socket): about 0.4 s on the path to watching. Building picocli's
     * model of the command, which Quarkus does next, takes 100-150 ms (its classes cannot be archived).
     * Throwaway ones made on another core while Quarkus boots on this one leave the real ones a fraction of that.
     */
    private static void warmUp() {
        Thread warmUp = new Thread(() -> {
            try (var client = dev.autorebuild.docker.DockerClients.fromEnvironment()) {
                client.getClass(); // made, never connected
            } catch (Exception | LinkageError e) {
                // only a head start: the daemon makes its own client and reports what goes wrong with it
            }
        }, "dab-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        Thread commandModel = new Thread(() -> {
            try {
                new CommandLine(new AutoRebuildCommand());
            } catch (RuntimeException | LinkageError e) {
                // only a head start: Quarkus builds the real one and reports what goes wrong with it
            }
        }, "dab-warm-up-cli");
        commandModel.setDaemon(true);
        commandModel.start();
    }

    @Override
    public int run(String... args) {
        return commandLine.execute(args);
    }
}
