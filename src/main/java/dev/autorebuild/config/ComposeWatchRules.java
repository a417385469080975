package dev.autorebuild.config;

import dev.autorebuild.core.sync.WatchRule;
import dev.autorebuild.fs.PathNames;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A service's {@code develop.watch} list, read into {@link WatchRule}s with workspace-relative paths. */
final class ComposeWatchRules {
    private static final Set<String> RULE_KEYS = Set.of("path", "action", "target", "ignore", "include", "exec", "initial_sync");

    private ComposeWatchRules() {}

    /** Each rule's path starts from the folder of the file the rule was written in. */
    static List<WatchRule> read(ComposeNodes nodes, String where, Node develop, Path workspace, String folder) {
        List<WatchRule> rules = new ArrayList<>();
        Map<String, ComposeNodes.Entry> keys = nodes.entries(develop, where + ".develop");
        for (var k : keys.entrySet()) {
            if (!k.getKey().equals("watch") && !k.getKey().startsWith("x-")) {
                nodes.problem(k.getValue().key(), "'" + k.getKey() + "' is not a Compose key in " + where + ".develop (it holds watch)");
            }
        }
        if (!keys.containsKey("watch")) {
            return rules;
        }
        Node watch = keys.get("watch").value();
        if (!(watch instanceof SequenceNode list)) {
            nodes.problem(watch, where + ".develop.watch: expected a list of rules (- path: …, action: …)");
            return rules;
        }
        for (Node item : list.getValue()) {
            rule(nodes, where + ".develop.watch", item, nodes.dirOf(item), workspace, folder).ifPresent(rules::add);
        }
        return rules;
    }

    private static Optional<WatchRule> rule(ComposeNodes nodes, String where, Node item, Path composeDir, Path workspace, String folder) {
        Map<String, ComposeNodes.Entry> keys = nodes.entries(item, where);
        for (var k : keys.entrySet()) {
            if (!RULE_KEYS.contains(k.getKey()) && !k.getKey().startsWith("x-")) {
                String hint = dev.autorebuild.core.config.Suggestions.nearest(k.getKey(), RULE_KEYS.stream().sorted().toList())
                        .map(s -> "; did you mean '" + s + "'?").orElse("");
                nodes.problem(k.getValue().key(), "'" + k.getKey() + "' is not a Compose key in a watch rule" + hint);
            }
        }
        if (!keys.containsKey("path") || !keys.containsKey("action")) {
            nodes.problem(item, where + ": a rule needs path: and action:");
            return Optional.empty();
        }
        Optional<String> path = nodes.text(keys.get("path").value(), where + ".path");
        Optional<String> actionText = nodes.text(keys.get("action").value(), where + ".action");
        if (path.isEmpty() || actionText.isEmpty()) {
            return Optional.empty();
        }
        Optional<WatchRule.Action> action = WatchRule.Action.of(actionText.get());
        if (action.isEmpty()) {
            nodes.problem(keys.get("action").value(), where + ".action: '" + actionText.get() + "' is not an action; write rebuild, sync, "
                    + "sync+restart, sync+exec or restart");
            return Optional.empty();
        }
        Path absolute = composeDir.resolve(path.get()).normalize();
        Path component = workspace.resolve(folder);
        if (!absolute.startsWith(component)) {
            nodes.warn(keys.get("path").value(), where + ".path: " + path.get() + " is outside the service's build context " + folder
                    + "/; auto-rebuild watches a component's own folder, so this rule is not applied");
            return Optional.empty();
        }
        Optional<String> target = keys.containsKey("target") ? nodes.text(keys.get("target").value(), where + ".target") : Optional.empty();
        if (action.get().copies() && target.isEmpty()) {
            nodes.problem(keys.get("action").value(), where + ": " + actionText.get() + " needs target: (the folder in the container to copy to)");
            return Optional.empty();
        }
        Optional<List<String>> exec = Optional.empty();
        if (keys.containsKey("exec")) {
            Map<String, ComposeNodes.Entry> e = nodes.entries(keys.get("exec").value(), where + ".exec");
            for (var k : e.entrySet()) {
                if (!Set.of("command", "user", "privileged", "working_dir", "environment").contains(k.getKey())) {
                    nodes.problem(k.getValue().key(), "'" + k.getKey() + "' is not a Compose key in " + where + ".exec");
                } else if (!k.getKey().equals("command")) {
                    nodes.warn(k.getValue().key(), where + ".exec." + k.getKey() + ": not applied; the command runs as the container's user");
                }
            }
            exec = e.containsKey("command") ? Optional.of(nodes.command(e.get("command").value(), where + ".exec.command")) : Optional.empty();
        }
        if (action.get() == WatchRule.Action.SYNC_EXEC && exec.isEmpty()) {
            nodes.problem(keys.get("action").value(), where + ": sync+exec needs exec: command:");
            return Optional.empty();
        }
        boolean initialSync = keys.containsKey("initial_sync") && nodes.bool(keys.get("initial_sync").value(), where + ".initial_sync").orElse(false);
        if (initialSync) {
            nodes.warn(keys.get("initial_sync").key(), where + ".initial_sync: not needed: a container auto-rebuild starts runs an image of the current files");
        }
        List<String> ignore = keys.containsKey("ignore") ? nodes.texts(keys.get("ignore").value(), where + ".ignore") : List.of();
        List<String> include = keys.containsKey("include") ? nodes.texts(keys.get("include").value(), where + ".include") : List.of();
        return Optional.of(new WatchRule(PathNames.relative(workspace, absolute), action.get(), target, ignore, include, exec, initialSync));
    }
}
