package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import dev.autorebuild.engine.StatusBoard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The text {@code auto-rebuild -s status} prints: the daemon, then one line per component, then what waits for a redeploy. */
final class StatusReport {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusReport() {}

    static String render(Path workspace, long pid, Duration uptime, Optional<Path> log, String configuration, StatusBoard board) {
        StringBuilder out = new StringBuilder();
        out.append("daemon ").append(pid).append(" watching ").append(workspace)
                .append(" (up ").append(Durations.format(Duration.ofSeconds(uptime.toSeconds()))).append(")\n");
        log.ifPresent(l -> out.append("log: ").append(l).append('\n'));
        out.append("configuration: ").append(configuration).append('\n');
        List<StatusBoard.ComponentStatus> components = board.components();
        if (components.isEmpty()) {
            out.append("no components: add a sub-folder with a Dockerfile\n");
            return out.toString();
        }
        int nameWidth = Math.max("COMPONENT".length(), components.stream().mapToInt(c -> c.component().folder().length()).max().orElse(0));
        int imageWidth = Math.max("IMAGE".length(), components.stream().mapToInt(c -> c.component().image().length()).max().orElse(0));
        String row = "%-" + nameWidth + "s  %-8s  %-" + imageWidth + "s  %s%n";
        out.append(String.format(row, "COMPONENT", "STATE", "IMAGE", "LAST BUILD"));
        for (StatusBoard.ComponentStatus c : components) {
            out.append(String.format(row, c.component().folder(), c.state().name().toLowerCase(Locale.ROOT), c.component().image(),
                    c.lastBuild().map(StatusReport::lastBuild).orElse(c.digest().isPresent() ? "none needed: image up to date" : "none yet")));
        }
        List<String> pending = board.pendingRedeploys().stream().map(c -> c.folder()).toList();
        out.append(pending.isEmpty() ? "pending redeploy: none\n"
                : "pending redeploy: " + pending.stream().collect(Collectors.joining(", ")) + "\n");
        return out.toString();
    }

    private static String lastBuild(StatusBoard.LastBuild b) {
        String when = CLOCK.format(b.started());
        return b.succeeded()
                ? "ok, " + when + ", took " + Durations.format(b.took())
                : "FAILED, " + when + ", after " + Durations.format(b.took()) + ": " + firstLine(b.detail());
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " …";
    }
}
