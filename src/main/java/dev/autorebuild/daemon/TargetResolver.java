package dev.autorebuild.daemon;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which workspace a {@code -s} command is for: {@code -t DIR} if given; else the workspace that
 * contains the current folder; else, if exactly one daemon runs for this user, that one; else an
 * error listing them. Pure: the caller supplies the registry's entries and the {@code .dab} check.
 */
public final class TargetResolver {
    private TargetResolver() {}

    public sealed interface Choice {}

    public record Target(Path workspace) implements Choice {}

    /** Nothing to choose from: no daemon runs for this user (exit 3). */
    public record NoneRunning(String message) implements Choice {}

    /** Several daemons and nothing says which (exit 1). */
    public record Ambiguous(String message) implements Choice {}

    public static Choice choose(Optional<Path> explicit, Path cwd, List<DaemonRegistry.Entry> running,
                                Predicate<Path> hasStateFolder) {
        if (explicit.isPresent()) {
            return new Target(explicit.get().toAbsolutePath().normalize());
        }
        Path here = cwd.toAbsolutePath().normalize();
        Optional<Path> enclosingDaemon = running.stream().map(DaemonRegistry.Entry::workspace)
                .filter(here::startsWith)
                .max(Comparator.comparingInt(Path::getNameCount));
        if (enclosingDaemon.isPresent()) {
            return new Target(enclosingDaemon.get());
        }
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (hasStateFolder.test(dir)) {
                return new Target(dir);
            }
        }
        if (running.size() == 1) {
            return new Target(running.get(0).workspace());
        }
        if (running.isEmpty()) {
            return new NoneRunning("no auto-rebuild daemon is running for this user; start one with auto-rebuild -t DIR");
        }
        return new Ambiguous("several auto-rebuild daemons are running; say which with -t DIR:\n"
                + running.stream().map(e -> "  " + e.workspace() + "  (pid " + e.process().pid() + ")")
                .collect(Collectors.joining("\n")));
    }
}
