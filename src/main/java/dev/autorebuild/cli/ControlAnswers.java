package dev.autorebuild.cli;

import dev.autorebuild.deploy.RedeployDesk;

import dev.autorebuild.daemon.ControlReply;
import dev.autorebuild.daemon.ControlRequest;
import dev.autorebuild.engine.Rebuilder;
import dev.autorebuild.view.StatusBoard;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the daemon answers on its control socket. Each request is answered on its own thread, so a
 * redeploy that waits for readiness never holds up a {@code status}; every answer says whether the
 * command succeeded, which becomes the client's exit code.
 */
final class ControlAnswers implements Function<ControlRequest, ControlReply> {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    /** A reload rehashes every component: on a big workspace that takes a while, but not this long. */
    static final int RELOAD_LIMIT_MINUTES = 2; // a compile-time constant: the -s client reads it without loading this class
    static final Duration RELOAD_LIMIT = Duration.ofMinutes(RELOAD_LIMIT_MINUTES);

    private final DaemonFacts facts;
    private final StatusBoard board;
    private final Rebuilder rebuilder;
    private final RedeployDesk redeploys;
    private final Supplier<String> status;

    /** The daemon's own facts a {@code ping} reports. */
    record DaemonFacts(long pid, long startedMillis) {}

    ControlAnswers(DaemonFacts facts, StatusBoard board, Rebuilder rebuilder, RedeployDesk redeploys, Supplier<String> status) {
        this.facts = facts;
        this.board = board;
        this.rebuilder = rebuilder;
        this.redeploys = redeploys;
        this.status = status;
    }

    @Override
    public ControlReply apply(ControlRequest request) {
        return switch (request.command()) {
            case "ping" -> new ControlReply(true, "daemon " + facts.pid(), Map.of("pid", facts.pid(), "started", facts.startedMillis(),
                    "quitTimeoutMillis", rebuilder.config().quitTimeout().toMillis(), "redeploys", redeploys.completed()));
            case "status" -> ControlReply.ok(status.get());
            // with the pid: a launcher whose own daemon lost the race for the lock to another start's must not take
            // the winner's answer on the shared socket for its own daemon's
            case "engine" -> board.engineOutage()
                    .map(o -> new ControlReply(true, o.reason(), Map.of("downSince", o.since().toEpochMilli(), "pid", facts.pid())))
                    .orElse(new ControlReply(true, "answering", Map.of("pid", facts.pid())));
            case "redeploy" -> redeploy(request);
            case "reload" -> reload();
            default -> ControlReply.failed("error: unknown command '" + request.command() + "'; this daemon answers ping, status, engine, redeploy and reload");
        };
    }

    private ControlReply redeploy(ControlRequest request) {
        String why = request.components().isEmpty() ? "requested with -s redeploy" : "requested for " + String.join(", ", request.components());
        try {
            RedeployDesk.Outcome outcome = redeploys.redeployNamed(request.components(), why);
            return new ControlReply(outcome.ok(), outcome.summary(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlReply.failed("error: the daemon is ending; the redeploy did not run");
        }
    }

    private ControlReply reload() {
        LOG.info("reload requested (-s reload): re-reading the configuration and the ignore files, rehashing every component");
        try {
            Optional<String> refused = rebuilder.reload("reload requested").get(RELOAD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return refused.map(problems -> ControlReply.failed("the configuration is invalid; the previous settings stay:\n" + problems))
                    .orElseGet(() -> ControlReply.ok("reloaded (configuration: " + rebuilder.configOrigin() + "); every component was rehashed, only real changes build"));
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "reload failed");
            return ControlReply.failed("the reload failed: " + e.getCause().getMessage() + "; the previous settings stay");
        } catch (TimeoutException e) {
            return ControlReply.failed("the reload has not finished after " + dev.autorebuild.core.Durations.format(RELOAD_LIMIT) + "; it goes on in the daemon");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlReply.failed("error: the daemon is ending; the reload did not finish");
        }
    }
}
