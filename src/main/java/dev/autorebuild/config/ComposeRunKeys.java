package dev.autorebuild.config;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.PortMapping;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The service keys of a Compose file that have a form of their own (short and long syntax, files to
 * read, durations): ports, env_file, volumes, healthcheck, and the names of declared networks and volumes.
 */
final class ComposeRunKeys {
    private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");

    private final ComposeNodes nodes;
    private final String project;
    private final Map<String, ComposeNodes.Entry> topVolumes;

    ComposeRunKeys(ComposeNodes nodes, String project, Map<String, ComposeNodes.Entry> topVolumes) {
        this.nodes = nodes;
        this.project = project;
        this.topVolumes = topVolumes;
    }

    List<String> ports(String where, Node node) {
        List<String> out = new ArrayList<>();
        List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        for (Node item : items) {
            String port;
            if (item instanceof ScalarNode) {
                port = nodes.text(item, where + ".ports").orElse("");
            } else {
                Map<String, ComposeNodes.Entry> spec = nodes.entries(item, where + ".ports");
                Function<String, String> v = k -> spec.containsKey(k) ? nodes.text(spec.get(k).value(), where + ".ports." + k).orElse("") : "";
                port = (v.apply("host_ip").isEmpty() ? "" : v.apply("host_ip") + ":") + v.apply("published") + ":" + v.apply("target")
                        + (v.apply("protocol").isEmpty() ? "" : "/" + v.apply("protocol"));
            }
            if (PortMapping.isValid(port)) {
                if (!out.contains(port)) {
                    out.add(port); // an extending service may list its base's port again
                }
            } else if (port.matches("\\d+(/(tcp|udp))?")) {
                nodes.warn(item, where + ".ports: " + port + " has no host port; auto-rebuild publishes only HOST:CONTAINER ports, so it is left out");
            } else {
                nodes.problem(item, where + ".ports: '" + port + "' is not a port auto-rebuild can publish; write HOST:CONTAINER "
                        + "(e.g. \"8080:80\", or \"0.0.0.0:8080:80\" for other machines)");
            }
        }
        return out;
    }

    void envFiles(String where, Node node, Map<String, String> env) {
        List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        for (Node item : items) {
            Optional<String> path;
            boolean required = true;
            if (item instanceof ScalarNode) {
                path = nodes.text(item, where + ".env_file");
            } else {
                Map<String, ComposeNodes.Entry> spec = nodes.entries(item, where + ".env_file");
                path = spec.containsKey("path") ? nodes.text(spec.get("path").value(), where + ".env_file.path") : Optional.empty();
                required = !spec.containsKey("required") || nodes.bool(spec.get("required").value(), where + ".env_file.required").orElse(true);
            }
            if (path.isEmpty()) {
                continue;
            }
            Path file = nodes.dirOf(item).resolve(path.get()).normalize();
            try {
                env.putAll(EnvFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (required) {
                    nodes.problem(item, where + ".env_file: cannot read " + file + " (" + e.getClass().getSimpleName().replace("Exception", "")
                            + "); create it, or mark it required: false");
                }
            }
        }
    }

    List<String> volumes(String where, Node node) {
        Map<String, String> byTarget = new java.util.LinkedHashMap<>();
        List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        for (Node item : items) {
            String source;
            String target;
            boolean readOnly;
            if (item instanceof ScalarNode) {
                String[] parts = nodes.text(item, where + ".volumes").orElse("").split(":");
                if (parts.length < 2) {
                    nodes.warn(item, where + ".volumes: an anonymous volume (" + parts[0] + ") is left out; name it (name:" + parts[0] + ")");
                    continue;
                }
                source = parts[0];
                target = parts[1];
                readOnly = parts.length > 2 && parts[2].contains("ro");
            } else {
                Map<String, ComposeNodes.Entry> spec = nodes.entries(item, where + ".volumes");
                Function<String, String> v = k -> spec.containsKey(k) ? nodes.text(spec.get(k).value(), where + ".volumes." + k).orElse("") : "";
                source = v.apply("source");
                target = v.apply("target");
                readOnly = v.apply("read_only").equals("true");
                if (source.isEmpty() || target.isEmpty() || !Set.of("", "bind", "volume").contains(v.apply("type"))) {
                    nodes.problem(item, where + ".volumes: auto-rebuild mounts binds and named volumes with a source and a target");
                    continue;
                }
            }
            boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
            String mounted = bind ? (source.startsWith("~") ? source : nodes.dirOf(item).resolve(source).normalize().toString()) : volumeName(source);
            byTarget.remove(target); // an extending service's mount at the same target replaces the base's
            byTarget.put(target, mounted + ":" + target + (readOnly ? ":ro" : ""));
        }
        return new ArrayList<>(byTarget.values());
    }

    private String volumeName(String key) {
        return resourceName(topVolumes, "volumes", key);
    }

    Optional<DabConfig.Healthcheck> healthcheck(String where, Node node) {
        Map<String, ComposeNodes.Entry> keys = nodes.entries(node, where + ".healthcheck");
        for (var k : keys.entrySet()) {
            if (!HEALTHCHECK_KEYS.contains(k.getKey())) {
                nodes.unknown(k.getValue(), k.getKey(), HEALTHCHECK_KEYS, "in " + where + ".healthcheck");
            }
        }
        if (keys.containsKey("disable") && nodes.bool(keys.get("disable").value(), where + ".healthcheck.disable").orElse(false)) {
            return Optional.of(new DabConfig.Healthcheck(List.of("NONE"), Duration.ZERO, Duration.ZERO, 0, Duration.ZERO));
        }
        if (!keys.containsKey("test")) {
            return Optional.empty();
        }
        Node testNode = keys.get("test").value();
        List<String> test = testNode instanceof SequenceNode ? nodes.texts(testNode, where + ".healthcheck.test")
                : List.of("CMD-SHELL", nodes.text(testNode, where + ".healthcheck.test").orElse("true"));
        Function<String, Duration> d = k -> keys.containsKey(k) ? duration(keys.get(k).value(), where + ".healthcheck." + k, Duration.ZERO) : Duration.ZERO;
        int retries = 0;
        if (keys.containsKey("retries")) {
            String r = nodes.text(keys.get("retries").value(), where + ".healthcheck.retries").orElse("0");
            if (r.matches("\\d{1,4}")) {
                retries = Integer.parseInt(r);
            } else {
                nodes.problem(keys.get("retries").value(), where + ".healthcheck.retries: expected a whole number, got '" + r + "'");
            }
        }
        return Optional.of(new DabConfig.Healthcheck(test, d.apply("interval"), d.apply("timeout"), retries, d.apply("start_period")));
    }

    Duration duration(Node node, String what, Duration fallback) {
        Optional<String> text = nodes.text(node, what);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            nodes.problem(node, what + ": " + e.getMessage());
            return fallback;
        }
    }

    /**
     * What Compose names a network or volume the file declares: its {@code name:}, its own key when it
     * is {@code external}, else {@code <project>_<key>}.
     */
    String resourceName(Map<String, ComposeNodes.Entry> declared, String section, String key) {
        ComposeNodes.Entry def = declared.get(key);
        if (def != null && !(def.value() instanceof ScalarNode)) {
            Map<String, ComposeNodes.Entry> spec = nodes.entries(def.value(), section + "." + key);
            if (spec.containsKey("name")) {
                return nodes.text(spec.get("name").value(), section + "." + key + ".name").orElse(key);
            }
            if (spec.containsKey("external") && nodes.bool(spec.get("external").value(), section + "." + key + ".external").orElse(false)) {
                return key;
            }
        }
        return project + "_" + key;
    }
}
