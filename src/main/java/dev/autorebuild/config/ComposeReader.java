package dev.autorebuild.config;

import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.sync.WatchRule;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a Compose file into components: each service with a {@code build:} whose context is one of the
 * workspace's sub-folders becomes that folder's component, run the way the service says. A key Compose
 * knows but auto-rebuild does not apply is a warning at its line and column; a key Compose does not know
 * is an error, as a typo in dab.yml is. See README, "Coming from Compose Watch".
 */
final class ComposeReader {
    /** Compose's own order of precedence among the file names it looks for. */
    static final List<String> DEFAULT_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

    private static final Set<String> TOP_LEVEL = Set.of("version", "name", "services", "networks", "volumes", "configs", "secrets", "include");
    private static final Set<String> SERVICE_USED = Set.of("build", "deploy", "image", "ports", "environment", "env_file", "volumes", "networks",
            "network_mode", "command", "entrypoint", "healthcheck", "restart", "init", "stop_signal", "stop_grace_period", "container_name",
            "develop", "extends");
    /** Compose service keys auto-rebuild's redeploys do not apply (yet): each one used is a warning, never silence. */
    private static final Set<String> SERVICE_NOT_APPLIED = Set.of("annotations", "attach", "blkio_config", "cap_add", "cap_drop", "cgroup",
            "cgroup_parent", "configs", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
            "cpus", "cpuset", "credential_spec", "depends_on", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search",
            "domainname", "expose", "external_links", "extra_hosts", "gpus", "group_add", "hostname", "ipc", "isolation", "labels", "links",
            "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "oom_kill_disable", "oom_score_adj",
            "pid", "pids_limit", "platform", "post_start", "pre_stop", "privileged", "profiles", "pull_policy", "read_only", "runtime", "scale",
            "secrets", "security_opt", "shm_size", "stdin_open", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "user", "userns_mode",
            "uts", "volumes_from", "working_dir");
    private static final Set<String> BUILD_USED = Set.of("context", "dockerfile", "target", "args");
    private static final Set<String> BUILD_NOT_APPLIED = Set.of("additional_contexts", "cache_from", "cache_to", "dockerfile_inline",
            "entitlements", "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged", "pull", "secrets", "shm_size",
            "ssh", "tags", "ulimits");
    
    private final Path workspace;
    private final Path dir;
    private final ComposeNodes nodes;
    private final ComposeFiles files;
    private final Function<String, Optional<String>> environment;
    private Map<String, ComposeNodes.Entry> services = new LinkedHashMap<>();
    private Map<String, ComposeNodes.Entry> topNetworks = new LinkedHashMap<>();
    private Map<String, ComposeNodes.Entry> topVolumes = new LinkedHashMap<>();
    private String project;

    /** What was read: the components by folder, and what the file leaves to Compose. */
    record Project(String name, DabConfig.Compose compose, Map<String, DabConfig.ComponentSettings> components, List<String> warnings) {}

    sealed interface Result {}

    record Read(Project project) implements Result {}

    record Invalid(List<ConfigProblem> problems) implements Result {}

    /** @param variables the main file's: a variable a service names without a value takes its value from them */
    private ComposeReader(Path workspace, Path file, ComposeNodes nodes, ComposeFiles files, Map<String, String> variables) {
        this.workspace = workspace;
        this.dir = file.getParent();
        this.nodes = nodes;
        this.files = files;
        this.environment = name -> Optional.ofNullable(variables.get(name));
    }

    /** The Compose file Compose itself would read in the workspace, if any. */
    static Optional<Path> locate(Path workspace) {
        return DEFAULT_NAMES.stream().map(workspace::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * @param processEnv the daemon's environment: it wins over the file's {@code .env}, as in Compose
     */
    static Result read(Path workspace, Path file, String shown, Map<String, String> processEnv) {
        Path main = file.toAbsolutePath().normalize();
        Map<String, String> variables;
        try {
            variables = ComposeFiles.variables(List.of(main.getParent().resolve(".env")), false, processEnv);
        } catch (IOException e) {
            return new Invalid(List.of(new ConfigProblem(".env", 0, 0, "cannot read it: " + e.getMessage())));
        }
        ComposeNodes nodes = new ComposeNodes(new ComposeNodes.Source(shown, main.getParent(), ComposeFiles.lookup(variables)));
        Path root = workspace.toAbsolutePath().normalize();
        ComposeFiles files = new ComposeFiles(root, processEnv, nodes);
        Node tree = files.parse(main, new ComposeNodes.Source(shown, main.getParent(), ComposeFiles.lookup(variables)), null);
        if (tree == null) {
            return new Invalid(nodes.problems);
        }
        return new ComposeReader(root, main, nodes, files, variables).project(tree, main, processEnv, shown);
    }

    private Result project(Node root, Path file, Map<String, String> processEnv, String shown) {
        Map<String, ComposeNodes.Entry> top = topLevel(root);
        project = projectName(top, processEnv);
        List<Node> trees = new ArrayList<>();
        if (top.containsKey("include")) {
            trees.addAll(files.included(top.get("include").value(), new LinkedHashSet<>(List.of(file))));
        }
        trees.add(root);
        for (Node tree : trees) {
            Map<String, ComposeNodes.Entry> keys = tree == root ? top : topLevel(tree);
            join(keys, "services", services);
            join(keys, "networks", topNetworks);
            join(keys, "volumes", topVolumes);
        }
        if (services.isEmpty() && !top.containsKey("services")) {
            nodes.problem(root, "no services: a Compose file lists its services under services: (or includes files that do)");
            return new Invalid(nodes.problems);
        }
        Map<String, DabConfig.ComponentSettings> components = new LinkedHashMap<>();
        Map<String, String> folders = new LinkedHashMap<>();
        Map<String, String> notBuilt = new LinkedHashMap<>();
        for (var e : services.entrySet()) {
            service(e.getKey(), e.getValue(), components, folders, notBuilt);
        }
        if (!nodes.problems.isEmpty()) {
            return new Invalid(nodes.problems);
        }
        return new Read(new Project(project, new DabConfig.Compose(shown, folders, notBuilt, files.shownFiles()), components, nodes.warnings));
    }

    /** A file's top-level keys, each checked: those we do not use are warnings, those Compose does not know are errors. */
    private Map<String, ComposeNodes.Entry> topLevel(Node root) {
        Map<String, ComposeNodes.Entry> top = nodes.entries(root, "the file");
        for (var e : top.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("x-") || Set.of("version", "services", "name", "networks", "volumes", "include").contains(key)) {
                continue;
            }
            if (TOP_LEVEL.contains(key)) {
                nodes.warn(e.getValue().key(), key + ": is not used by auto-rebuild (the services run without it)");
            } else {
                nodes.unknown(e.getValue(), key, TOP_LEVEL, "at the top of the file");
            }
        }
        return top;
    }

    /**
     * Adds one file's services (or networks, volumes) to the project's. As in Compose, a name defined by
     * two files of one project is an error: nothing says which should win.
     */
    private void join(Map<String, ComposeNodes.Entry> top, String section, Map<String, ComposeNodes.Entry> into) {
        if (!top.containsKey(section)) {
            return;
        }
        Node value = top.get(section).value();
        if (value instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null")) {
            return;
        }
        nodes.entries(value, section).forEach((name, entry) -> {
            ComposeNodes.Entry before = into.putIfAbsent(name, entry);
            if (before != null) {
                nodes.problem(entry.key(), section + "." + name + " is also defined in " + nodes.sourceOf(before.key()).shown() + ":"
                        + (before.key().getStartMark().getLine() + 1) + "; a project defines each name once, so rename or remove one");
            }
        });
    }

    /** {@code COMPOSE_PROJECT_NAME}, else {@code name:}, else the folder's name, as Compose decides and normalises it. */
    private String projectName(Map<String, ComposeNodes.Entry> top, Map<String, String> processEnv) {
        Optional<String> chosen = Optional.ofNullable(processEnv.get("COMPOSE_PROJECT_NAME")).filter(s -> !s.isBlank());
        if (chosen.isEmpty() && top.containsKey("name")) {
            chosen = nodes.text(top.get("name").value(), "name");
        }
        String name = chosen.orElse(dir.getFileName() == null ? "project" : dir.getFileName().toString());
        String normalised = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        return normalised.isEmpty() ? "project" : normalised;
    }

    private void service(String name, ComposeNodes.Entry entry, Map<String, DabConfig.ComponentSettings> components,
                         Map<String, String> folders, Map<String, String> notBuilt) {
        String where = "services." + name;
        Map<String, ComposeNodes.Entry> keys = new ComposeExtends(nodes, files).keys(name, entry, services, List.of());
        for (var k : keys.entrySet()) {
            String key = k.getKey();
            if (key.startsWith("x-") || SERVICE_USED.contains(key)) {
                continue;
            }
            if (SERVICE_NOT_APPLIED.contains(key)) {
                nodes.warn(k.getValue().key(), where + "." + key + ": not applied by auto-rebuild's redeploys; the container runs without it");
            } else {
                Set<String> all = new java.util.HashSet<>(SERVICE_USED);
                all.addAll(SERVICE_NOT_APPLIED);
                nodes.unknown(k.getValue(), key, all, "in " + where);
            }
        }
        if (!keys.containsKey("build")) {
            notBuilt.put(name, keys.containsKey("image") ? "image only" : "no build:");
            return;
        }
        Build build = build(where, keys.get("build").value());
        if (build == null) {
            return;
        }
        Path context = build.from().resolve(build.context()).normalize();
        if (!workspace.equals(context.getParent()) || context.getFileName().toString().startsWith(".")) {
            nodes.warn(keys.get("build").key(), where + " is not built here: its build context " + build.context()
                    + " is not one of the workspace's sub-folders, which is what auto-rebuild builds; Compose still can");
            notBuilt.put(name, "context " + build.context());
            return;
        }
        String folder = context.getFileName().toString();
        if (folders.containsValue(folder)) {
            nodes.warn(keys.get("build").key(), where + " is not built here: another service already builds " + folder + "/");
            notBuilt.put(name, "shares " + folder + "/");
            return;
        }

        String image = keys.containsKey("image") ? nodes.text(keys.get("image").value(), where + ".image").orElse(project + "-" + name)
                : project + "-" + name;
        folders.put(name, folder);
        List<WatchRule> watch = keys.containsKey("develop") ? ComposeWatchRules.read(nodes, where, keys.get("develop").value(), workspace, folder)
                : List.of();
        components.put(folder, new DabConfig.ComponentSettings(true, Optional.of(image),
                build.dockerfile(), ".", build.args(), build.target(), Optional.empty(), List.of(), run(name, where, keys), Map.of(),
                Optional.of(composeService(name, where, keys)), watch));
    }

    /** @param from the folder the context is relative to: that of the file the context was written in */
    private record Build(Path from, String context, String dockerfile, Optional<String> target, Map<String, String> args) {}

    private Build build(String where, Node node) {
        if (node instanceof ScalarNode) {
            return nodes.text(node, where + ".build").map(c -> new Build(nodes.dirOf(node), c, "Dockerfile", Optional.empty(), Map.of())).orElse(null);
        }
        Map<String, ComposeNodes.Entry> keys = nodes.entries(node, where + ".build");
        nodes.checkKeys(keys, where + ".build", BUILD_USED, BUILD_NOT_APPLIED, "auto-rebuild's builds");
        String context = keys.containsKey("context") ? nodes.text(keys.get("context").value(), where + ".build.context").orElse(".") : ".";
        String dockerfile = keys.containsKey("dockerfile") ? nodes.text(keys.get("dockerfile").value(), where + ".build.dockerfile").orElse("Dockerfile")
                : "Dockerfile";
        Optional<String> target = keys.containsKey("target") ? nodes.text(keys.get("target").value(), where + ".build.target") : Optional.empty();
        Map<String, String> args = keys.containsKey("args") ? nodes.keyValues(keys.get("args").value(), where + ".build.args", environment) : Map.of();
        Path from = nodes.dirOf(keys.containsKey("context") ? keys.get("context").value() : node);
        return new Build(from, context, dockerfile, target, args);
    }

    private DabConfig.Run run(String name, String where, Map<String, ComposeNodes.Entry> keys) {
        DabConfig.Run d = DabConfig.Run.DEFAULTS;
        List<String> ports = keys.containsKey("ports") ? runKeys().ports(where, keys.get("ports").value()) : List.of();
        Map<String, String> env = new LinkedHashMap<>();
        if (keys.containsKey("env_file")) {
            runKeys().envFiles(where, keys.get("env_file").value(), env);
        }
        if (keys.containsKey("environment")) {
            env.putAll(nodes.keyValues(keys.get("environment").value(), where + ".environment", environment));
        }
        Optional<List<String>> command = keys.containsKey("command") ? Optional.of(nodes.command(keys.get("command").value(), where + ".command"))
                : Optional.empty();
        List<String> volumes = keys.containsKey("volumes") ? runKeys().volumes(where, keys.get("volumes").value()) : List.of();
        String restart = d.restart();
        if (keys.containsKey("restart")) {
            restart = nodes.text(keys.get("restart").value(), where + ".restart").orElse("no").replaceFirst(":\\d+$", "");
            if (!Set.of("no", "always", "unless-stopped", "on-failure").contains(restart)) {
                nodes.problem(keys.get("restart").value(), where + ".restart: '" + restart + "' is not a restart policy; write no, always, "
                        + "unless-stopped or on-failure");
                restart = d.restart();
            }
        }
        boolean init = keys.containsKey("init") ? nodes.bool(keys.get("init").value(), where + ".init").orElse(d.init()) : d.init();
        Duration stop = keys.containsKey("stop_grace_period") ? runKeys().duration(keys.get("stop_grace_period").value(), where + ".stop_grace_period",
                d.stopTimeout()) : d.stopTimeout();
        var swarm = keys.containsKey("deploy") ? new ComposeDeploy(nodes, runKeys()).read(where, keys.get("deploy").value()) : d.swarm();
        return new DabConfig.Run(ports, env, command, volumes, Optional.of(network(name, where, keys)), restart, init, stop, d.readiness(), swarm);
    }

    private DabConfig.ComposeService composeService(String name, String where, Map<String, ComposeNodes.Entry> keys) {
        String containerName = keys.containsKey("container_name")
                ? nodes.text(keys.get("container_name").value(), where + ".container_name").orElse(project + "-" + name + "-1")
                : project + "-" + name + "-1";
        Optional<List<String>> entrypoint = keys.containsKey("entrypoint")
                ? Optional.of(nodes.command(keys.get("entrypoint").value(), where + ".entrypoint")) : Optional.empty();
        Optional<String> stopSignal = keys.containsKey("stop_signal") ? nodes.text(keys.get("stop_signal").value(), where + ".stop_signal")
                : Optional.empty();
        Optional<DabConfig.Healthcheck> health = keys.containsKey("healthcheck") ? runKeys().healthcheck(where, keys.get("healthcheck").value())
                : Optional.empty();
        String network = network(name, where, keys);
        return new DabConfig.ComposeService(project, name, containerName, network, networkLabels(network), entrypoint, stopSignal, health);
    }

    /**
     * The network the container joins: {@code network_mode}, else the service's first network, else the
     * project's default one, named as Compose names them ({@code <project>_<network>} unless the file gives a name).
     */
    private String network(String name, String where, Map<String, ComposeNodes.Entry> keys) {
        if (keys.containsKey("network_mode")) {
            return nodes.text(keys.get("network_mode").value(), where + ".network_mode").orElse("bridge");
        }
        if (!keys.containsKey("networks")) {
            return project + "_default";
        }
        Node value = keys.get("networks").value();
        List<String> names = value instanceof SequenceNode ? nodes.texts(value, where + ".networks")
                : new ArrayList<>(nodes.entries(value, where + ".networks").keySet());
        if (names.isEmpty()) {
            return project + "_default";
        }
        if (names.size() > 1) {
            nodes.warn(keys.get("networks").key(), where + ".networks: the container joins " + names.get(0) + " only; "
                    + "auto-rebuild does not connect it to " + String.join(", ", names.subList(1, names.size())) + " yet");
        }
        return networkName(names.get(0));
    }

    private String networkName(String key) {
        return runKeys().resourceName(topNetworks, "networks", key);
    }

    /** The readers of a service's run keys, for this file's project and declared volumes. */
    private ComposeRunKeys runKeys() {
        return new ComposeRunKeys(nodes, project, topVolumes);
    }

    /** The labels Compose gives the networks it creates; none for a network it would not create. */
    private Map<String, String> networkLabels(String network) {
        String prefix = project + "_";
        if (!network.startsWith(prefix)) {
            return Map.of();
        }
        return Map.of("com.docker.compose.project", project, "com.docker.compose.network", network.substring(prefix.length()));
    }

}
