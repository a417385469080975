package dev.autorebuild.cli;

import dev.autorebuild.engine.ContainerState;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.Durations;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.view.StatusBoard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The text {@code auto-rebuild -s status} prints: the daemon, then per component its build state and
 * image digest, its last build, its container and whether a redeploy is pending, its last redeploy.
 */
final class StatusReport {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusReport() {}

    static String render(Path workspace, long pid, Duration uptime, Optional<Path> log, Optional<String> dashboard, Optional<String> warning, String configuration,
                         StatusBoard board, Function<Component, ContainerState> containers, java.util.Set<String> redeployWaiting) {
        StringBuilder out = new StringBuilder();
        out.append("daemon ").append(pid).append(" watching ").append(workspace)
                .append(" (up ").append(Durations.format(Duration.ofSeconds(uptime.toSeconds()))).append(")\n");
        board.engineOutage().ifPresent(o -> out.append("engine: not answering since ").append(when(o.since())).append(", ")
                .append(o.reason()).append(" (builds wait; they run once it answers)\n"));
        log.ifPresent(l -> out.append("log: ").append(l).append('\n'));
        dashboard.ifPresent(url -> out.append("Dashboard: ").append(url).append('\n'));
        warning.ifPresent(w -> out.append("WARNING: ").append(w).append('\n'));
        out.append("configuration: ").append(configuration).append('\n');
        List<StatusBoard.ComponentStatus> components = board.components();
        if (components.isEmpty()) {
            out.append("no components: add a sub-folder with a Dockerfile\n");
            return out.toString();
        }
        int width = components.stream().mapToInt(c -> c.component().folder().length()).max().orElse(0);
        String indent = " ".repeat(width + 2);
        List<String> pending = new java.util.ArrayList<>();
        boolean engineDown = board.engineOutage().isPresent();
        for (StatusBoard.ComponentStatus c : components) {
            Optional<ContainerState> looked = engineDown ? Optional.empty() : lookAt(containers, c.component());
            out.append(String.format("%-" + width + "s  %-8s  %s  %s%n", c.component().folder(), c.state().name().toLowerCase(Locale.ROOT),
                    c.component().image(), c.digest().map(StatusReport::shortDigest).orElse("(not built yet)")));
            out.append(indent).append("build:     ")
                    .append(c.lastBuild().map(StatusReport::lastBuild).orElse(c.digest().isPresent() ? "none needed: image up to date" : "none yet"))
                    .append('\n');
            // a status must answer when the engine does not: its containers are then not known
            boolean swarm = looked.map(ContainerState::swarm).orElse(false);
            out.append(indent).append(swarm ? "service:   " : "container: ").append(looked.map(container -> container.name() + ", " + container.describe()
                    + (container.pending() ? ", redeploy PENDING" : "")).orElse("not known while the engine does not answer")).append('\n');
            c.lastRedeploy().ifPresent(r -> out.append(indent).append("redeploy:  ")
                    .append(r.succeeded() ? "ok, " + when(r.at()) : "FAILED, " + when(r.at()) + ": " + firstLine(r.detail())).append('\n'));
            c.lastSync().ifPresent(y -> out.append(indent).append("sync:      ")
                    .append(y.succeeded() ? "ok, " + when(y.at()) + " (" + firstLine(y.detail()) + ")" : "FAILED, " + when(y.at()) + ": " + firstLine(y.detail()))
                    .append('\n'));
            if (looked.map(ContainerState::pending).orElse(false)) {
                pending.add(c.component().folder());
            }
        }
        out.append(pending.isEmpty() ? "pending redeploy: none\n"
                : "pending redeploy: " + String.join(", ", pending) + " (auto-rebuild -s redeploy)\n");
        if (!redeployWaiting.isEmpty()) {
            out.append("redeploy waiting for build: ").append(String.join(", ", new java.util.TreeSet<>(redeployWaiting))).append('\n');
        }
        return out.toString();
    }

    /** The component's container as the engine tells it; empty when the engine fails to answer (a hung one, say). */
    private static Optional<ContainerState> lookAt(Function<Component, ContainerState> containers, Component component) {
        try {
            return Optional.of(containers.apply(component));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String lastBuild(StatusBoard.LastBuild b) {
        return b.succeeded()
                ? "ok, " + when(b.started()) + ", took " + Durations.format(b.took()) + on(b)
                : "FAILED, " + when(b.started()) + ", after " + Durations.format(b.took()) + on(b) + ": " + firstLine(b.detail());
    }

    private static String on(StatusBoard.LastBuild b) {
        return b.builder().map(builder -> ", " + (builder == dev.autorebuild.core.build.Builder.BUILDKIT ? "BuildKit" : "classic builder")).orElse("");
    }

    private static String when(Instant at) {
        return CLOCK.format(at);
    }

    private static String shortDigest(String digest) {
        return dev.autorebuild.core.Sha256.shortForm(digest);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " …";
    }
}
