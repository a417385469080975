package dev.autorebuild.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autorebuild.core.sync.WatchRule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dab.yml's {@code components.<name>.watch-rules}: Compose's {@code develop.watch} rules for a component
 * without a Compose file, with paths relative to the component's folder. Each problem is reported at its key.
 */
final class WatchRulesChecker {
    /** Reports a problem at a key path under {@code components.<name>.watch-rules}. */
    interface Problems {
        void at(String message, Object... path);
    }

    private WatchRulesChecker() {}

    static List<WatchRule> check(Path workspace, String component, List<RawConfig.WatchRule> raws, Problems problems) {
        List<WatchRule> rules = new ArrayList<>();
        if (raws == null) {
            return rules;
        }
        Path folder = workspace.resolve(component).normalize();
        for (int i = 0; i < raws.size(); i++) {
            RawConfig.WatchRule raw = raws.get(i);
            Object[] at = {"components", component, "watch-rules", i};
            if (raw == null || raw.path() == null || raw.action() == null) {
                problems.at("a rule needs path: and action:", at);
                continue;
            }
            Optional<WatchRule.Action> action = WatchRule.Action.of(raw.action());
            if (action.isEmpty()) {
                problems.at("'" + raw.action() + "' is not an action; write rebuild, sync, sync+restart, sync+exec or restart", with(at, "action"));
                continue;
            }
            Path path = folder.resolve(raw.path()).normalize();
            if (!path.startsWith(folder)) {
                problems.at("path " + raw.path() + " leaves the component's folder; a rule's path is relative to " + component + "/", with(at, "path"));
                continue;
            }
            if (action.get().copies() && (raw.target() == null || raw.target().isBlank())) {
                problems.at(raw.action() + " needs target: (the folder in the container to copy to)", with(at, "action"));
                continue;
            }
            Optional<List<String>> exec = raw.exec() == null ? Optional.empty() : command(raw.exec().command());
            if (action.get() == WatchRule.Action.SYNC_EXEC && exec.isEmpty()) {
                problems.at("sync+exec needs exec: command: (a string or a list)", with(at, "action"));
                continue;
            }
            rules.add(new WatchRule(workspace.relativize(path).toString(), action.get(), Optional.ofNullable(raw.target()),
                    raw.ignore() == null ? List.of() : raw.ignore(), raw.include() == null ? List.of() : raw.include(), exec,
                    raw.initialSync() != null && raw.initialSync()));
        }
        return rules;
    }

    private static Optional<List<String>> command(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(ComposeNodes.words(node.textValue()));
        }
        List<String> words = new ArrayList<>();
        node.forEach(n -> words.add(n.asText()));
        return words.isEmpty() ? Optional.empty() : Optional.of(words);
    }

    private static Object[] with(Object[] path, String key) {
        Object[] out = java.util.Arrays.copyOf(path, path.length + 1);
        out[path.length] = key;
        return out;
    }
}
