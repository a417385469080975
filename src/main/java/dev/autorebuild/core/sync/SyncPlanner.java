package dev.autorebuild.core.sync;

import dev.autorebuild.core.ignore.GitignorePattern;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what a component's changed paths call for. Each path takes the first rule (in the order
 * written) whose path holds it and which does not ignore it, as Compose Watch does. A path under a rule
 * that ignores it, and under no other, is left alone: nothing copies it and it triggers no build (the
 * next build takes it in). A path no rule holds rebuilds, as every change does without rules.
 */
public final class SyncPlanner {
    private SyncPlanner() {}

    /**
     * @param changes workspace path → whether the file is still there (false: deleted)
     */
    public static SyncPlan plan(List<WatchRule> rules, Map<String, Boolean> changes) {
        Map<String, String> copies = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        boolean restart = false;
        for (var change : changes.entrySet()) {
            String path = change.getKey();
            Optional<WatchRule> rule = ruleFor(rules, path);
            boolean underAnyRule = rules.stream().anyMatch(r -> r.relative(path).isPresent());
            if (rule.isEmpty()) {
                if (underAnyRule) {
                    continue; // ignored by the rules that hold it
                }
                return new SyncPlan.Rebuild(path + " is under no sync rule");
            }
            WatchRule r = rule.get();
            switch (r.action()) {
                case REBUILD -> {
                    return new SyncPlan.Rebuild(path + " is under a rebuild rule (" + r.path() + ")");
                }
                case RESTART -> restart = true;
                default -> {
                    String inContainer = containerPath(r, r.relative(path).orElseThrow());
                    if (change.getValue()) {
                        copies.put(path, inContainer);
                    } else {
                        deletes.add(inContainer);
                    }
                    restart |= r.action() == WatchRule.Action.SYNC_RESTART;
                    if (r.action() == WatchRule.Action.SYNC_EXEC && r.exec().isPresent() && !commands.contains(r.exec().get())) {
                        commands.add(r.exec().get());
                    }
                }
            }
            settled.add(path);
        }
        if (settled.isEmpty()) {
            return new SyncPlan.Nothing();
        }
        return new SyncPlan.Live(copies, deletes, restart, commands, settled);
    }

    private static Optional<WatchRule> ruleFor(List<WatchRule> rules, String path) {
        for (WatchRule r : rules) {
            Optional<String> relative = r.relative(path);
            if (relative.isEmpty()) {
                continue;
            }
            if (matchesAny(r.ignore(), relative.get())) {
                continue;
            }
            if (!r.include().isEmpty() && !matchesAny(r.include(), relative.get())) {
                continue;
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    /** Whether a gitignore-style pattern matches the path or one of its parent folders. */
    private static boolean matchesAny(List<String> patterns, String relative) {
        for (String p : patterns) {
            Optional<GitignorePattern> pattern = GitignorePattern.parse(p, "watch rule", 0);
            if (pattern.isEmpty()) {
                continue;
            }
            String[] parts = relative.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                prefix.append(i == 0 ? "" : "/").append(parts[i]);
                if (pattern.get().matches(prefix.toString(), i < parts.length - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String containerPath(WatchRule rule, String relative) {
        String target = rule.target().orElse("/");
        return relative.isEmpty() ? target : (target.endsWith("/") ? target : target + "/") + relative;
    }
}
