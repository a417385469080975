package dev.autorebuild.core.sync;

import java.util.List;
import java.util.Optional;

/**
 * One of a component's watch rules, as Compose's {@code develop.watch} writes them: changes under
 * {@code path} are copied into the running container ({@code sync}), copied and followed by a restart or
 * a command, restart it alone, or rebuild it (what every change does without a rule).
 *
 * @param path    workspace-relative, without a trailing slash
 * @param target  the container folder {@code path} is copied to (sync actions)
 * @param ignore  paths under {@code path} this rule leaves alone, gitignore-style, relative to {@code path}
 * @param include when not empty, only these (same form) count for this rule
 * @param exec    the command {@code sync+exec} runs in the container afterwards
 */
public record WatchRule(String path, Action action, Optional<String> target, List<String> ignore, List<String> include,
                        Optional<List<String>> exec, boolean initialSync) {
    public enum Action {
        REBUILD("rebuild"), SYNC("sync"), SYNC_RESTART("sync+restart"), SYNC_EXEC("sync+exec"), RESTART("restart");

        public final String written;

        Action(String written) {
            this.written = written;
        }

        public boolean copies() {
            return this == SYNC || this == SYNC_RESTART || this == SYNC_EXEC;
        }

        public static Optional<Action> of(String written) {
            for (Action a : values()) {
                if (a.written.equals(written)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    public WatchRule {
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        ignore = List.copyOf(ignore);
        include = List.copyOf(include);
        exec = exec.map(List::copyOf);
    }

    /** The path relative to this rule's path, when {@code workspacePath} is under it (or is it). */
    Optional<String> relative(String workspacePath) {
        if (path.isEmpty()) {
            return Optional.of(workspacePath);
        }
        if (workspacePath.equals(path)) {
            return Optional.of("");
        }
        return workspacePath.startsWith(path + "/") ? Optional.of(workspacePath.substring(path.length() + 1)) : Optional.empty();
    }
}
