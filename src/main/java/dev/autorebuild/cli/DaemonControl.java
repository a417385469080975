package dev.autorebuild.cli;

import dev.autorebuild.deploy.RedeployDesk;

import dev.autorebuild.core.Durations;
import dev.autorebuild.daemon.ControlReply;
import dev.autorebuild.daemon.ControlRequest;
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
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code auto-rebuild -s COMMAND}: finds the workspace's daemon and sends it the command: quit and
 * stop as signals (they must work on a daemon too busy to answer), then waits until it is gone; status,
 * redeploy and reload over the control socket, whose reply says how it went. No Quarkus,
 * no Docker client: this path answers in a fraction of a second.
 */
final class DaemonControl {
    static final int NOT_RUNNING = 3;
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);
    private static final Duration STATUS_WAIT = Duration.ofSeconds(20);
    /** A redeploy waits for the builds in flight (at most 5 min), then for readiness: the daemon answers within this. */
    private static final Duration REDEPLOY_WAIT = Duration.ofMinutes(RedeployDesk.SETTLE_LIMIT_MINUTES + 10);
    private static final Duration RELOAD_WAIT = Duration.ofMinutes(ControlAnswers.RELOAD_LIMIT_MINUTES).plusSeconds(30);

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
            case redeploy -> redeploy(dab, pid, names);
            case reload -> reload(dab, pid);
        };
    }

    private int status(DabDir dab) {
        return answered(dab, ControlRequest.of("status"), STATUS_WAIT, reply -> out.print(reply.text()));
    }

    /**
     * Sends {@code request} over the control socket and shows the reply: success on standard output,
     * failure on standard error as one line that says what failed, with exit code 1.
     */
    private int answered(DabDir dab, ControlRequest request, Duration wait, java.util.function.Consumer<ControlReply> shown) {
        ControlReply reply;
        try {
            reply = ControlSocket.ask(dab, request, wait);
        } catch (IOException e) {
            err.println("auto-rebuild: the daemon of " + dab.workspace() + " did not answer '" + request.command() + "' ("
                    + e.getMessage() + "); it may still be starting: see " + dab.logFile());
            return 1;
        }
        if (reply.ok()) {
            shown.accept(reply);
            return 0;
        }
        err.println("auto-rebuild: " + reply.text());
        return 1;
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

    private int redeploy(DabDir dab, long pid, List<String> names) {
        if (names.isEmpty()) {
            out.println("auto-rebuild: redeploying what is pending (daemon " + pid + ")...");
            out.flush();
        }
        return answered(dab, new ControlRequest("redeploy", names), REDEPLOY_WAIT, reply -> out.println("auto-rebuild: " + reply.text()));
    }

    private int reload(DabDir dab, long pid) {
        return answered(dab, ControlRequest.of("reload"), RELOAD_WAIT, reply -> out.println("auto-rebuild: daemon " + pid + " " + reply.text()));
    }

    /** The daemon's own quit timeout, plus the time to end after it. */
    private static Duration quitWait(DabDir dab) {
        long quitTimeout;
        try {
            quitTimeout = ControlSocket.ask(dab, ControlRequest.of("ping"), STATUS_WAIT).number("quitTimeoutMillis", -1);
        } catch (IOException e) {
            quitTimeout = -1;
        }
        return (quitTimeout < 0 ? Duration.ofMinutes(2) : Duration.ofMillis(quitTimeout)).plus(STOP_WAIT);
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
