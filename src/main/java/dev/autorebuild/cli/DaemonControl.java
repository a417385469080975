package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import dev.autorebuild.daemon.ControlSocket;
import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.daemon.PidFile;
import dev.autorebuild.daemon.ProcessStart;
import dev.autorebuild.daemon.Signals;
import dev.autorebuild.daemon.TargetResolver;
import dev.autorebuild.daemon.WorkspaceLock;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code auto-rebuild -s COMMAND}: finds the workspace's daemon and sends it the command as a signal,
 * then waits for the effect (gone, or the command counted) so the user knows it arrived. No Quarkus,
 * no Docker client: this path answers in a fraction of a second.
 */
final class DaemonControl {
    static final int NOT_RUNNING = 3;
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);
    private static final Duration REDEPLOY_WAIT = Duration.ofMinutes(10);

    enum Command { quit, stop, redeploy, status, reload }

    private final PrintWriter out;
    private final PrintWriter err;

    DaemonControl(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    int run(Command command, Optional<Path> target, List<String> names) throws IOException, InterruptedException {
        DaemonRegistry registry = DaemonRegistry.forUser(System.getenv());
        TargetResolver.Choice choice = TargetResolver.choose(target, Path.of(""), registry.running(),
                dir -> Files.exists(DabDir.of(dir).lockFile()));
        if (choice instanceof TargetResolver.NoneRunning none) {
            err.println("auto-rebuild: " + none.message());
            return NOT_RUNNING;
        }
        if (choice instanceof TargetResolver.Ambiguous ambiguous) {
            err.println("auto-rebuild: " + ambiguous.message());
            return 1;
        }
        Path workspace = ((TargetResolver.Target) choice).workspace();
        DabDir dab = DabDir.of(workspace);
        Optional<ProcessStart> holder;
        try {
            holder = WorkspaceLock.holder(dab);
        } catch (java.nio.file.AccessDeniedException e) {
            err.println("auto-rebuild: " + DaemonStart.anotherUsers(dab, e) + ": only the user who started a daemon may control it");
            return 1;
        }
        if (holder.isEmpty()) {
            String stale = PidFile.read(dab.pidFile()).map(pid -> " (a stale PID file names pid " + pid + "; the next start replaces it)").orElse("");
            err.println("auto-rebuild: no daemon is running for " + workspace + stale + "; start one with 'auto-rebuild -t " + workspace + "'");
            return NOT_RUNNING;
        }
        long pid = holder.get().pid() > 0 ? holder.get().pid() : PidFile.read(dab.pidFile()).orElse(-1L);
        if (pid <= 0) {
            err.println("auto-rebuild: a daemon holds " + dab.lockFile() + " but its pid is unknown");
            return 1;
        }
        return switch (command) {
            case status -> status(dab);
            case quit -> end(dab, pid, Signals.QUIT, quitWait(dab), "quitting: the daemon lets builds in progress finish, then exits");
            case stop -> end(dab, pid, Signals.STOP, STOP_WAIT, "stopping: the daemon cancels builds in progress and exits now");
            case redeploy -> names.isEmpty() ? redeployPending(dab, pid) : redeployNamed(dab, names);
            case reload -> acknowledged(dab, pid, Signals.RELOAD, "reloads");
        };
    }

    private int status(DabDir dab) {
        try {
            out.print(ControlSocket.ask(dab, "status"));
            return 0;
        } catch (IOException e) {
            err.println("auto-rebuild: the daemon of " + dab.workspace() + " does not answer on its control socket ("
                    + e.getMessage() + "); it may still be starting, or was started by another user");
            return 1;
        }
    }

    private int end(DabDir dab, long pid, Signals signal, Duration wait, String what) throws IOException, InterruptedException {
        ProcessStart daemon = new ProcessStart(pid, ProcessStart.startMillisOf(pid).orElse(-1L));
        if (!signal.sendTo(pid)) {
            err.println("auto-rebuild: cannot signal daemon " + pid + " (not ours?)");
            return 1;
        }
        out.println("auto-rebuild: " + what + " (daemon " + pid + ", " + dab.workspace() + ")");
        out.flush();
        // A daemon in a terminal takes its first SIGINT as Ctrl-C, a quit: repeat a stop until it ends.
        BooleanSupplier ended = signal == Signals.STOP ? repeating(signal, pid, () -> !daemon.isAlive()) : () -> !daemon.isAlive();
        if (!waitFor(wait, ended)) {
            err.println("auto-rebuild: daemon " + pid + " still runs after " + Durations.format(wait)
                    + "; see " + dab.logFile() + ", or end it at once with 'auto-rebuild -s stop' (or kill -9 " + pid + ")");
            return 1;
        }
        out.println("auto-rebuild: daemon " + pid + " has ended");
        return 0;
    }

    private static BooleanSupplier repeating(Signals signal, long pid, BooleanSupplier ended) {
        long[] lastSent = {System.nanoTime()};
        return () -> {
            if (ended.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - lastSent[0] > Duration.ofSeconds(1).toNanos()) {
                lastSent[0] = System.nanoTime();
                try {
                    signal.sendTo(pid);
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        };
    }

    /** Sends the signal, then waits until the daemon has counted it: proof that it arrived and was handled. */
    private int acknowledged(DabDir dab, long pid, Signals signal, String counter) throws IOException, InterruptedException {
        long before = counter(dab, counter);
        if (!signal.sendTo(pid)) {
            err.println("auto-rebuild: cannot signal daemon " + pid + " (not ours?)");
            return 1;
        }
        if (!waitFor(ACK_WAIT, () -> counterOrMinus(dab, counter) > before)) {
            err.println("auto-rebuild: daemon " + pid + " did not confirm the " + signal.name().toLowerCase() + " within "
                    + Durations.format(ACK_WAIT) + "; see " + dab.logFile());
            return 1;
        }
        out.println("auto-rebuild: daemon " + pid + " did the " + signal.name().toLowerCase() + " (details in its log)");
        return 0;
    }

    /** SIGUSR1, then wait for the daemon to finish the redeploy (a readiness wait can take a while) and say how it went. */
    private int redeployPending(DabDir dab, long pid) throws IOException, InterruptedException {
        long before = counter(dab, "redeploys");
        if (!Signals.REDEPLOY.sendTo(pid)) {
            err.println("auto-rebuild: cannot signal daemon " + pid + " (not ours?)");
            return 1;
        }
        out.println("auto-rebuild: redeploying what is pending (daemon " + pid + ")...");
        out.flush();
        if (!waitFor(REDEPLOY_WAIT, () -> counterOrMinus(dab, "redeploys") > before)) {
            err.println("auto-rebuild: the redeploy has not finished after " + Durations.format(REDEPLOY_WAIT) + "; see " + dab.logFile());
            return 1;
        }
        String summary = ControlSocket.ask(dab, "last-redeploy").strip();
        out.println("auto-rebuild: " + summary);
        return summary.contains("FAILED") ? 1 : 0;
    }

    private int redeployNamed(DabDir dab, List<String> names) throws IOException {
        // '/' can be in no folder name: the one separator that keeps "Web UI" one name
        String answer = ControlSocket.ask(dab, "redeploy " + String.join(DaemonRun.NAME_SEPARATOR, names)).strip();
        boolean failed = answer.startsWith("error") || answer.contains("FAILED");
        (failed ? err : out).println("auto-rebuild: " + answer);
        return failed ? 1 : 0;
    }

    private Duration quitWait(DabDir dab) {
        try {
            return Duration.ofMillis(Long.parseLong(ping(dab).getOrDefault("quit-timeout-ms", "120000"))).plus(STOP_WAIT);
        } catch (IOException | NumberFormatException e) {
            return Duration.ofMinutes(2).plus(STOP_WAIT);
        }
    }

    private long counterOrMinus(DabDir dab, String counter) {
        try {
            return counter(dab, counter);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long counter(DabDir dab, String counter) throws IOException {
        return Long.parseLong(ping(dab).getOrDefault(counter, "-1"));
    }

    private static Map<String, String> ping(DabDir dab) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String pair : ControlSocket.ask(dab, "ping").strip().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }

    private static boolean waitFor(Duration limit, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(25); // polling another process: there is nothing to wait on
        }
        return true;
    }
}
