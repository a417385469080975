package dev.autorebuild.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autorebuild.core.Durations;
import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.config.Globs;
import dev.autorebuild.core.ignore.TriggerPaths;
import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.core.ignore.GitignorePattern;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a bound {@link RawConfig} into a {@link DabConfig}: fills in defaults and checks what the
 * binder cannot (durations, globs, names, paths, exclusive keys), collecting every problem with the
 * line and column of the key it concerns.
 */
final class ConfigChecker {
    /** [registry[:port]/]name[/name…][:tag], lower case, as the engine accepts. */
    private static final Pattern IMAGE = Pattern.compile(
            "^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.:\\[\\]-]+$");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "localhost");

    private final String shown;
    private final String text;
    private final Path workspace;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ConfigChecker(String shown, String text, Path workspace) {
        this.shown = shown;
        this.text = text;
        this.workspace = workspace.toAbsolutePath().normalize();
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    DabConfig check(RawConfig raw) {
        DabConfig d = DabConfig.DEFAULTS;
        TriggerPaths triggers = triggers(raw);
        DebounceSettings debounce = debounce(raw.debounce());
        var deployment = raw.deployment() == null ? d.deployment() : new DabConfig.Deployment(
                or(raw.deployment().auto(), d.deployment().auto()),
                raw.deployment().builds() == null ? d.deployment().delay()
                        : duration(raw.deployment().builds().delay(), d.deployment().delay(), "deployment", "builds", "delay"),
                SwarmKeys.target(raw.deployment().target(), this::problem, "deployment", "target").orElse(d.deployment().target()),
                SwarmKeys.registry(raw.deployment().registry(), this::problem));
        var build = build(raw.build(), d.build());
        boolean gitignore = raw.ignore() != null && or(raw.ignore().gitignore(), false);
        Duration quitTimeout = raw.daemon() == null ? d.quitTimeout()
                : duration(raw.daemon().quitTimeout(), d.quitTimeout(), "daemon", "quit-timeout");
        Map<String, DabConfig.ComponentSettings> components = new LinkedHashMap<>();
        if (raw.components() != null) {
            raw.components().forEach((name, c) -> components.put(name, component(name, c)));
        }
        DabConfig.Watch watch = raw.watch() == null ? d.watch() : new DabConfig.Watch(or(raw.watch().poll(), false),
                duration(raw.watch().pollInterval(), d.watch().pollInterval(), "watch", "poll-interval"));
        if (watch.pollInterval().toMillis() < 100) {
            problem("poll-interval must be at least 100ms (each poll walks the whole workspace)", "watch", "poll-interval");
            watch = d.watch();
        }
        boolean jsonLog = raw.log() != null && logFormat(raw.log().format()).equals("json");
        components.forEach((name, c) -> warnings.addAll(SwarmKeys.warnings(name, c, deployment)));
        return new DabConfig(triggers, debounce, deployment, build, gitignore, quitTimeout, watch, http(raw.http()), jsonLog,
                or(raw.notifyDesktop(), false), components, projectName(raw.name()));
    }

    /** dab.yml's {@code compose:}: {@code false} (no Compose file), a file's path, or absent (Compose's own file names). */
    Optional<String> compose(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean() && !node.booleanValue()) {
            return Optional.of("false");
        }
        if (node.isTextual() && !node.textValue().isBlank()) {
            return Optional.of(node.textValue().strip());
        }
        problem("compose: expected false (read no Compose file) or the path of one (e.g. compose: deploy/compose.yaml)", "compose");
        return Optional.empty();
    }

    /** As Compose checks a project name: what images and containers are named after, instead of the folder's name. */
    private static final java.util.regex.Pattern PROJECT_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private Optional<String> projectName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (!PROJECT_NAME.matcher(name).matches() || name.length() > 63) {
            problem("'" + name + "' is not a valid project name: lower-case letters, digits, '-' and '_', starting with a letter or digit, "
                    + "at most 63 characters (e.g. " + dev.autorebuild.core.DockerName.sanitize(name.isBlank() ? "my-shop" : name) + ")", "name");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private DabConfig.Http http(RawConfig.Http raw) {
        DabConfig.Http d = DabConfig.Http.DEFAULTS;
        if (raw == null) {
            return d;
        }
        int port = or(raw.port(), d.port());
        if (port < 0 || port > 65535) {
            problem("port must be between 1 and 65535, or 0 for a free port chosen at start; got " + port, "http", "port");
            port = d.port();
        }
        String host = or(raw.host(), d.host()).strip();
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            problem("'" + host + "' is not an address to listen on; write 127.0.0.1 (this machine only), ::1 or 0.0.0.0", "http", "host");
            host = d.host();
        } else if (!LOOPBACK.contains(host)) {
            warnings.add("http.host " + host + " makes the dashboard reachable from other machines; its token still guards every request");
        }
        return new DabConfig.Http(host, port);
    }

    private String logFormat(String format) {
        if (format == null || format.equals("text") || format.equals("json")) {
            return format == null ? "text" : format;
        }
        problem("log format is text or json; got '" + format + "'", "log", "format");
        return "text";
    }

    private TriggerPaths triggers(RawConfig raw) {
        if (raw.whitelist() != null && raw.blacklist() != null) {
            problem("whitelist and blacklist cannot both be set: with a whitelist only listed paths build, "
                    + "so a blacklist has nothing to remove; keep one", "blacklist");
            return TriggerPaths.NONE;
        }
        String key = raw.whitelist() != null ? "whitelist" : "blacklist";
        List<String> globs = raw.whitelist() != null ? raw.whitelist() : raw.blacklist();
        if (globs == null) {
            return TriggerPaths.NONE;
        }
        String source = sourceName();
        List<GitignorePattern> patterns = new ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            String glob = globs.get(i) == null ? "" : globs.get(i).strip();
            Optional<String> wrong = Globs.problem(glob);
            if (wrong.isPresent()) {
                problem(wrong.get(), key, i);
                continue;
            }
            int line = locate(List.of(key, i)).map(p -> p[0]).orElse(0);
            GitignorePattern.parse(glob, source, line).ifPresent(patterns::add);
        }
        int keyLine = locate(List.of(key)).map(p -> p[0]).orElse(0);
        return new TriggerPaths(key.equals("whitelist") ? TriggerPaths.Kind.WHITELIST : TriggerPaths.Kind.BLACKLIST, patterns, keyLine);
    }

    private DebounceSettings debounce(RawConfig.Debounce raw) {
        DebounceSettings d = DebounceSettings.DEFAULT;
        if (raw == null) {
            return d;
        }
        Duration quiet = duration(raw.quietPeriod(), d.quiet(), "debounce", "quiet-period");
        Duration maxWait = duration(raw.maxWait(), raw.quietPeriod() != null && raw.maxWait() == null ? max(d.maxWait(), quiet) : d.maxWait(),
                "debounce", "max-wait");
        try {
            return new DebounceSettings(quiet, maxWait);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage(), "debounce", raw.maxWait() != null ? "max-wait" : "quiet-period");
            return d;
        }
    }

    private DabConfig.Build build(RawConfig.Build raw, DabConfig.Build d) {
        if (raw == null) {
            return d;
        }
        int parallelism = or(raw.parallelism(), d.parallelism());
        if (parallelism < 1 || parallelism > 64) {
            problem("parallelism must be between 1 and 64, got " + parallelism, "build", "parallelism");
            parallelism = d.parallelism();
        }
        BuilderPreference builder = builder(raw.builder(), "build", "builder").orElse(d.builder());
        return new DabConfig.Build(parallelism, builder, args(raw.args(), "build"), or(raw.noCache(), d.noCache()),
                secrets(raw.secrets(), "build"));
    }

    private Optional<BuilderPreference> builder(String key, Object... path) {
        if (key == null) {
            return Optional.empty();
        }
        Optional<BuilderPreference> builder = BuilderPreference.of(key);
        if (builder.isEmpty()) {
            problem("builder is auto (BuildKit where the engine can, else classic), buildkit or classic; got '" + key + "'", path);
        }
        return builder;
    }

    private DabConfig.ComponentSettings component(String name, RawConfig.Component raw) {
        DabConfig.ComponentSettings d = DabConfig.ComponentSettings.DEFAULTS;
        if (raw == null) {
            return d;
        }
        Optional<String> image = Optional.ofNullable(raw.image());
        if (image.isPresent() && !IMAGE.matcher(image.get()).matches()) {
            problem("'" + image.get() + "' is not a valid image reference (lower-case name[:tag], e.g. shop/web:dev)", "components", name, "image");
            image = Optional.empty();
        }
        String context = relativeInside(raw.context(), ".", name, "context");
        String dockerfile = relativeInside(raw.dockerfile(), "Dockerfile", name, "dockerfile");
        Path contextDir = workspace.resolve(name).resolve(context).normalize();
        Path dockerfilePath = workspace.resolve(name).resolve(dockerfile).normalize();
        if (!dockerfilePath.startsWith(contextDir)) {
            problem("the Dockerfile (" + workspace.relativize(dockerfilePath) + ") must be inside the build context ("
                    + (contextDir.equals(workspace) ? "the workspace" : workspace.relativize(contextDir)) + ")", "components", name, "dockerfile");
        }
        List<String> watch = new ArrayList<>();
        if (raw.watch() != null) {
            for (int i = 0; i < raw.watch().size(); i++) {
                String path = raw.watch().get(i);
                String checked = relativeInside(path, null, name, "watch", i);
                if (checked != null) {
                    watch.add(checked);
                }
            }
        }
        if (raw.target() != null && raw.target().isBlank()) {
            problem("target names a build stage (FROM … AS name); it cannot be empty", "components", name, "target");
        }
        return new DabConfig.ComponentSettings(or(raw.enabled(), true), image, dockerfile, context,
                args(raw.args(), "components", name), Optional.ofNullable(raw.target()), builder(raw.builder(), "components", name, "builder"),
                watch, RunKeys.check(name, raw.run(), raw.deployment(), this::problem, this::duration), secrets(raw.secrets(), "components", name), Optional.empty(),
                WatchRulesChecker.check(workspace, name, raw.watchRules(), this::problem));
    }

    // ---- helpers ----

    /** A path relative to the component folder that must stay inside the workspace; the fallback when absent or wrong. */
    private String relativeInside(String path, String fallback, Object... where) {
        if (path == null) {
            return fallback;
        }
        List<Object> at = new ArrayList<>(List.of("components"));
        at.addAll(List.of(where));
        String component = (String) where[0];
        if (path.isBlank() || Path.of(path).isAbsolute()) {
            problem("'" + path + "' must be a path relative to the component folder " + component + "/", at.toArray());
            return fallback;
        }
        Path resolved = workspace.resolve(component).resolve(path).normalize();
        if (!resolved.startsWith(workspace)) {
            problem("'" + path + "' leaves the workspace; it must stay inside " + workspace, at.toArray());
            return fallback;
        }
        return path;
    }

    private Map<String, String> args(Map<String, String> raw, Object... where) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> args = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v == null) {
                List<Object> at = new ArrayList<>(List.of(where));
                at.addAll(List.of("args", k));
                problem("build arg " + k + " has no value; write " + k + ": \"\" for an empty one", at.toArray());
            } else {
                args.put(k, v);
            }
        });
        return args;
    }

    /** BuildKit's secret ids: what {@code RUN --mount=type=secret,id=…} can name. */
    private static final java.util.regex.Pattern SECRET_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

    private Map<String, DabConfig.Secret> secrets(Map<String, RawConfig.Secret> raw, Object... where) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, DabConfig.Secret> secrets = new LinkedHashMap<>();
        raw.forEach((id, source) -> {
            List<Object> at = new ArrayList<>(List.of(where));
            at.addAll(List.of("secrets", id));
            if (!SECRET_ID.matcher(id).matches()) {
                problem("'" + id + "' cannot be a secret id; use letters, digits, '_', '.' and '-' (the id= of RUN --mount=type=secret)", at.toArray());
            } else if (source == null || (source.file() == null) == (source.env() == null)) {
                problem("secret " + id + " needs exactly one source: file: PATH (relative to the workspace, or ~/…) or env: VARIABLE",
                        at.toArray());
            } else if (source.env() != null) {
                if (!source.env().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    at.add("env");
                    problem("'" + source.env() + "' is not an environment variable's name", at.toArray());
                } else {
                    secrets.put(id, new DabConfig.Secret(DabConfig.Secret.Kind.ENV, source.env()));
                }
            } else {
                secrets.put(id, new DabConfig.Secret(DabConfig.Secret.Kind.FILE, secretFile(source.file()).toString()));
            }
        });
        return secrets;
    }

    /** A secret's file: {@code ~/…} in the user's home, a relative path in the workspace (it need not exist yet). */
    private Path secretFile(String file) {
        if (file.equals("~") || file.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(file.substring(Math.min(2, file.length()))).normalize();
        }
        return workspace.resolve(file).normalize();
    }

    private Duration duration(String text, Duration fallback, Object... where) {
        if (text == null) {
            return fallback;
        }
        try {
            Duration parsed = Durations.parse(text);
            if (parsed.compareTo(LONGEST) > 0) {
                // the debounce and the holds add these to nanosecond clocks: an absurd figure would overflow them
                problem("'" + text.strip() + "' is longer than any wait auto-rebuild needs; write at most 24h", where);
                return fallback;
            }
            return parsed;
        } catch (IllegalArgumentException | ArithmeticException e) {
            problem(e.getMessage(), where);
            return fallback;
        }
    }

    /** The longest duration any key takes. */
    private static final Duration LONGEST = Duration.ofHours(24);

    void problem(String message, Object... path) {
        int[] at = locate(List.of(path)).orElse(new int[] {0, 0});
        problems.add(new ConfigProblem(shown, at[0], at[1], message));
    }

    private Optional<int[]> locate(List<Object> path) {
        return KeyLocator.locate(text, path);
    }

    private String sourceName() {
        Path file = Path.of(shown);
        return file.isAbsolute() && file.startsWith(workspace) ? workspace.relativize(file).toString() : shown;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
