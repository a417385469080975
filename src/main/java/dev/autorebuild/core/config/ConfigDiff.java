package dev.autorebuild.core.config;

import dev.autorebuild.core.ignore.TriggerPaths;
import dev.autorebuild.core.Durations;
import dev.autorebuild.core.ignore.GitignorePattern;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a configuration reload changed, as one line: {@code debounce.quiet-period: 200ms -> 500ms, …}. */
public final class ConfigDiff {
    /** Settings the daemon reads once, at start: a reload says so rather than pretending they changed. */
    private static final String AT_NEXT_START = " (applies at the next start)";

    private ConfigDiff() {}

    /** The changed settings, or "" when nothing changed. */
    public static String describe(DabConfig before, DabConfig after) {
        SortedMap<String, String> a = flatten(before);
        SortedMap<String, String> b = flatten(after);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream()
                .filter(k -> !Objects.equals(a.get(k), b.get(k)))
                .map(k -> k + ": " + a.getOrDefault(k, "(unset)") + " -> " + b.getOrDefault(k, "(unset)"))
                .collect(Collectors.joining(", "));
    }

    /** Every setting as a dotted key and a printable value, as a user would write it in dab.yml. */
    static SortedMap<String, String> flatten(DabConfig c) {
        SortedMap<String, String> out = new TreeMap<>();
        TriggerPaths t = c.triggers();
        if (t.kind() != TriggerPaths.Kind.NONE) {
            out.put(t.kind().name().toLowerCase(), t.patterns().stream().map(GitignorePattern::text).toList().toString());
        }
        out.put("debounce.quiet-period", Durations.format(c.debounce().quiet()));
        out.put("debounce.max-wait", Durations.format(c.debounce().maxWait()));
        out.put("deployment.auto", Boolean.toString(c.deployment().auto()));
        out.put("deployment.builds.delay", Durations.format(c.deployment().delay()));
        out.put("build.parallelism", Integer.toString(c.build().parallelism()));
        out.put("build.builder", c.build().builder().key());
        out.put("build.args", new TreeMap<>(c.build().args()).toString());
        out.put("build.no-cache", Boolean.toString(c.build().noCache()));
        out.put("build.secrets", new TreeMap<>(c.build().secrets()).toString()); // where each is read, never a value
        out.put("ignore.gitignore", Boolean.toString(c.useGitignore()));
        out.put("daemon.quit-timeout", Durations.format(c.quitTimeout()));
        out.put("watch.poll", Boolean.toString(c.watch().poll()));
        out.put("watch.poll-interval", Durations.format(c.watch().pollInterval()));
        out.put("http.host", c.http().host() + AT_NEXT_START);
        out.put("http.port", (c.http().port() == 0 ? "0 (a free port)" : Integer.toString(c.http().port())) + AT_NEXT_START);
        out.put("log.format", (c.jsonLog() ? "json" : "text") + AT_NEXT_START);
        out.put("notify", Boolean.toString(c.notifyDesktop()));
        c.name().ifPresent(v -> out.put("name", v));
        for (Map.Entry<String, DabConfig.ComponentSettings> e : new TreeMap<>(c.components()).entrySet()) {
            String p = "components." + e.getKey() + ".";
            DabConfig.ComponentSettings s = e.getValue();
            out.put(p + "enabled", Boolean.toString(s.enabled()));
            s.image().ifPresent(v -> out.put(p + "image", v));
            out.put(p + "dockerfile", s.dockerfile());
            out.put(p + "context", s.context());
            out.put(p + "args", new TreeMap<>(s.args()).toString());
            out.put(p + "secrets", new TreeMap<>(s.secrets()).toString());
            s.target().ifPresent(v -> out.put(p + "target", v));
            s.builder().ifPresent(v -> out.put(p + "builder", v.key()));
            out.put(p + "watch", s.watch().toString());
            out.put(p + "run", s.run().toString());
        }
        return out;
    }
}
