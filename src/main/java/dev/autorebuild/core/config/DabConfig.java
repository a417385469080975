package dev.autorebuild.core.config;

import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.core.ignore.TriggerPaths;
import dev.autorebuild.core.sync.WatchRule;
import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.core.deploy.SwarmSettings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace's configuration (dab.yml), validated and with every default filled in. Pure values:
 * reading and checking the file is the {@code config} package's job. Every key is documented in
 * {@code dab.yml.example}.
 *
 * @param triggers   whitelist/blacklist, applied after the ignore files
 * @param components overrides by component name (its folder name, or its sanitised form)
 * @param jsonLog    log lines as JSON objects (dab.yml {@code log.format: json}); read at start
 * @param notifyDesktop a desktop notification when a build fails or recovers (dab.yml {@code notify})
 */
public record DabConfig(TriggerPaths triggers, DebounceSettings debounce, Deployment deployment, Build build,
                        boolean useGitignore, Duration quitTimeout, Watch watch, Http http, boolean jsonLog, boolean notifyDesktop,
                        Map<String, ComponentSettings> components, Optional<String> name, Optional<Compose> compose) {

    public static final DabConfig DEFAULTS = new DabConfig(TriggerPaths.NONE, DebounceSettings.DEFAULT,
            new Deployment(false, Duration.ofSeconds(10)), new Build(2, BuilderPreference.AUTO, Map.of(), false), false, Duration.ofMinutes(2),
            Watch.DEFAULTS, Http.DEFAULTS, false, false, Map.of(), Optional.empty(), Optional.empty());

    /** A configuration without a Compose file. */
    public DabConfig(TriggerPaths triggers, DebounceSettings debounce, Deployment deployment, Build build,
                     boolean useGitignore, Duration quitTimeout, Watch watch, Http http, boolean jsonLog, boolean notifyDesktop,
                     Map<String, ComponentSettings> components, Optional<String> name) {
        this(triggers, debounce, deployment, build, useGitignore, quitTimeout, watch, http, jsonLog, notifyDesktop, components, name,
                Optional.empty());
    }

    /** A copy with the Compose file's services merged in (dab.yml's own component settings win, key by key). */
    public DabConfig withCompose(Compose file, Map<String, ComponentSettings> merged, Optional<String> projectName) {
        return new DabConfig(triggers, debounce, deployment, build, useGitignore, quitTimeout, watch, http, jsonLog, notifyDesktop,
                merged, projectName, Optional.of(file));
    }

    /**
     * The Compose file the components come from: then they are its services that have a {@code build:}
     * (each built from its context folder), and no other folder.
     *
     * @param file     as shown in messages (relative to the workspace when inside it)
     * @param folders  the component folders, by the service each one builds
     * @param notBuilt services left to Compose, each with why ({@code image only}, …)
     */
    /** @param files every Compose file the project was read from (the main one, included ones, extended ones) */
    public record Compose(String file, Map<String, String> folders, Map<String, String> notBuilt, List<String> files) {
        public Compose {
            folders = Map.copyOf(folders);
            notBuilt = Map.copyOf(notBuilt);
            files = List.copyOf(files);
        }

        public Compose(String file, Map<String, String> folders, Map<String, String> notBuilt) {
            this(file, folders, notBuilt, List.of(file));
        }

        /** {@code db (image only), docs (context .)}, by service name. */
        public String notBuiltList() {
            return notBuilt.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** What images and containers are named after: {@code name:}, else the workspace folder's name (as Compose names a project). */
    public String projectName(String workspaceFolderName) {
        return name.orElse(workspaceFolderName);
    }

    /**
     * Where the daemon serves its API, dashboard and metrics; read at start only.
     *
     * @param port 0: a free port chosen at start (so several workspaces' daemons coexist)
     */
    public record Http(String host, int port) {
        public static final Http DEFAULTS = new Http("127.0.0.1", 0);
    }

    /**
     * @param poll         walk the workspace every {@code pollInterval} instead of using inotify (network
     *                     file systems, mounts without events); read at start only
     * @param pollInterval how often polling walks the tree
     */
    public record Watch(boolean poll, Duration pollInterval) {
        public static final Watch DEFAULTS = new Watch(false, Duration.ofSeconds(1));
    }

    public DabConfig {
        components = Map.copyOf(components);
    }

    /** The overrides for a component folder, looked up by its folder name, then its sanitised name. */
    public ComponentSettings component(String folder, String sanitised) {
        ComponentSettings byFolder = components.get(folder);
        if (byFolder != null) {
            return byFolder;
        }
        return components.getOrDefault(sanitised, ComponentSettings.DEFAULTS);
    }

    /**
     * @param auto     redeploy the pending components by itself
     * @param delay    once this long has passed with no further build (0: right after each build)
     * @param target   where components run: containers on the engine, or Swarm services (a component may choose its own)
     * @param registry {@code HOST[:PORT][/PREFIX]} images are pushed to before a Swarm service is updated to them, by digest
     */
    public record Deployment(boolean auto, Duration delay, SwarmSettings.Target target, Optional<String> registry) {
        public Deployment(boolean auto, Duration delay) {
            this(auto, delay, SwarmSettings.Target.CONTAINERS, Optional.empty());
        }
    }

    /** Where a component's image runs: its own target, else the workspace's. */
    public SwarmSettings.Target target(ComponentSettings settings) {
        return settings.run().swarm().targetOr(deployment.target());
    }

    /**
     * @param parallelism components that may build at once
     * @param builder     BuildKit, classic, or auto (BuildKit where the engine can); a component may choose its own
     * @param args        build args for every component (a component's own args win)
     * @param noCache     build without the engine's layer cache
     * @param secrets     BuildKit secrets by id ({@code RUN --mount=type=secret,id=…}), for every component (a component's own win)
     */
    public record Build(int parallelism, BuilderPreference builder, Map<String, String> args, boolean noCache,
                        Map<String, Secret> secrets) {
        public Build {
            args = Map.copyOf(args);
            secrets = Map.copyOf(secrets);
        }

        public Build(int parallelism, BuilderPreference builder, Map<String, String> args, boolean noCache) {
            this(parallelism, builder, args, noCache, Map.of());
        }
    }

    /**
     * Where a BuildKit secret's value is read, at the moment a build asks for it (never stored).
     *
     * @param source a file (absolute, {@code ~} expanded) or an environment variable of the daemon
     */
    public record Secret(Kind kind, String source) {
        public enum Kind { FILE, ENV }

        /** As dab.yml writes it, for messages: {@code file: /home/ann/.npmrc}, {@code env: NPM_TOKEN}. */
        @Override
        public String toString() {
            return (kind == Kind.FILE ? "file: " : "env: ") + source;
        }
    }

    /**
     * @param image      the image reference to build, instead of {@code <workspace>-<component>:latest}
     * @param dockerfile the Dockerfile, relative to the component folder
     * @param context    the build context folder, relative to the component folder ("." = the folder itself)
     * @param builder    this component's builder, when it differs from {@code build.builder}
     * @param watch      further folders or files (relative to the component folder) whose changes rebuild it
     * @param secrets    this component's BuildKit secrets, added to (and winning over) {@code build.secrets}
     * @param compose    the Compose service it is, if any
     * @param watchRules live sync rules (dab.yml {@code watch-rules}, Compose's {@code develop.watch}), paths workspace-relative
     */
    public record ComponentSettings(boolean enabled, Optional<String> image, String dockerfile, String context,
                                    Map<String, String> args, Optional<String> target, Optional<BuilderPreference> builder,
                                    List<String> watch, Run run, Map<String, Secret> secrets, Optional<ComposeService> compose,
                                    List<WatchRule> watchRules) {
        public static final ComponentSettings DEFAULTS = new ComponentSettings(true, Optional.empty(), "Dockerfile", ".",
                Map.of(), Optional.empty(), Optional.empty(), List.of(), Run.DEFAULTS, Map.of(), Optional.empty(), List.of());

        public ComponentSettings {
            args = Map.copyOf(args);
            watch = List.copyOf(watch);
            secrets = Map.copyOf(secrets);
            watchRules = List.copyOf(watchRules);
        }

        /** A component without a Compose service or watch rules. */
        public ComponentSettings(boolean enabled, Optional<String> image, String dockerfile, String context,
                                 Map<String, String> args, Optional<String> target, Optional<BuilderPreference> builder,
                                 List<String> watch, Run run, Map<String, Secret> secrets) {
            this(enabled, image, dockerfile, context, args, target, builder, watch, run, secrets, Optional.empty(), List.of());
        }
    }

    /**
     * What a Compose service adds to its component: how Compose names and labels its container, so
     * Compose (and people used to it) recognise it, and the run settings dab.yml has no key for.
     *
     * @param project       the Compose project the service belongs to
     * @param containerName {@code container_name}, else {@code <project>-<service>-1}
     * @param network       the network the container joins ({@code <project>_default} unless the service names one)
     * @param networkLabels Compose's labels for a network auto-rebuild may create (empty: an external network, never created)
     */
    public record ComposeService(String project, String service, String containerName, String network,
                                 Map<String, String> networkLabels, Optional<List<String>> entrypoint,
                                 Optional<String> stopSignal, Optional<Healthcheck> healthcheck) {
        public ComposeService {
            networkLabels = Map.copyOf(networkLabels);
            entrypoint = entrypoint.map(List::copyOf);
        }
    }

    /** A container healthcheck ({@code test} as the engine takes it: {@code CMD …}, {@code CMD-SHELL …} or {@code NONE}). */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }

    /**
     * How the component's container runs (used by redeploys).
     *
     * @param ports     {@code "8080:80"} publishes on 127.0.0.1 unless an address is given ({@code "0.0.0.0:8080:80"})
     * @param command   replaces the image's CMD when present
     * @param volumes   {@code "./data:/data"} (host paths relative to the component folder) or {@code "name:/data"}
     * @param restart   no, always, unless-stopped or on-failure
     * @param init        run the engine's init as PID 1 (docker run --init): it passes SIGTERM on, so a server that
     *                    ignores SIGTERM as PID 1 (busybox httpd, many shells) stops at once instead of after the stop timeout
     * @param stopTimeout how long a stop waits after the image's STOPSIGNAL before SIGKILL
     * @param readiness how a new container proves it is ready before the old one is removed
     * @param swarm     how it runs as a Swarm service, when that is its target
     * @param staging   a replacement that publishes host ports on the default bridge starts on auto-rebuild's
     *                  internal staging network while the old container keeps serving, and takes the ports once
     *                  ready; false: the old container stops first (for a server that cannot start without its network)
     */
    public record Run(List<String> ports, Map<String, String> env, Optional<List<String>> command, List<String> volumes,
                      Optional<String> network, String restart, boolean init, Duration stopTimeout, Readiness readiness,
                      SwarmSettings swarm, boolean staging) {
        public static final Run DEFAULTS = new Run(List.of(), Map.of(), Optional.empty(), List.of(), Optional.empty(), "no", true,
                Duration.ofSeconds(1), Readiness.DEFAULTS, SwarmSettings.DEFAULTS, true);

        public Run(List<String> ports, Map<String, String> env, Optional<List<String>> command, List<String> volumes,
                   Optional<String> network, String restart, boolean init, Duration stopTimeout, Readiness readiness, SwarmSettings swarm) {
            this(ports, env, command, volumes, network, restart, init, stopTimeout, readiness, swarm, true);
        }

        public Run(List<String> ports, Map<String, String> env, Optional<List<String>> command, List<String> volumes,
                   Optional<String> network, String restart, boolean init, Duration stopTimeout, Readiness readiness) {
            this(ports, env, command, volumes, network, restart, init, stopTimeout, readiness, SwarmSettings.DEFAULTS);
        }

        public Run {
            ports = List.copyOf(ports);
            env = Map.copyOf(env);
            command = command.map(List::copyOf);
            volumes = List.copyOf(volumes);
        }
    }

    /**
     * @param tcpPort  ready once this container port accepts a connection
     * @param httpPath ready once GET on this path (on {@code port}, else the first published port) answers 2xx/3xx
     * @param port     the container port the HTTP probe uses
     * @param timeout  how long the new container may take to become ready
     */
    public record Readiness(Optional<Integer> tcpPort, Optional<String> httpPath, Optional<Integer> port, Duration timeout) {
        public static final Readiness DEFAULTS = new Readiness(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
    }
}
