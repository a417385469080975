package dev.autorebuild.config;

import dev.autorebuild.core.deploy.SwarmSettings;
import org.yaml.snakeyaml.nodes.Node;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Compose service's {@code deploy:}, for a component whose target is {@code swarm}: {@code replicas} and
 * {@code update_config} (parallelism, delay, order, failure_action, monitor), as {@code docker stack deploy}
 * reads them. The rest of {@code deploy} is said not to be applied, never silently dropped.
 */
final class ComposeDeploy {
    private static final Set<String> USED = Set.of("replicas", "update_config", "mode");
    private static final Set<String> NOT_APPLIED = Set.of("endpoint_mode", "labels", "placement", "resources", "restart_policy", "rollback_config");
    private static final Set<String> UPDATE_USED = Set.of("parallelism", "delay", "order", "failure_action", "monitor");
    private static final Set<String> UPDATE_NOT_APPLIED = Set.of("max_failure_ratio");

    private final ComposeNodes nodes;
    private final ComposeRunKeys runKeys;

    ComposeDeploy(ComposeNodes nodes, ComposeRunKeys runKeys) {
        this.nodes = nodes;
        this.runKeys = runKeys;
    }

    SwarmSettings read(String where, Node deploy) {
        String at = where + ".deploy";
        Map<String, ComposeNodes.Entry> keys = nodes.entries(deploy, at);
        nodes.checkKeys(keys, at, USED, NOT_APPLIED, "auto-rebuild's Swarm services");
        SwarmSettings d = SwarmSettings.DEFAULTS;
        if (keys.containsKey("mode")) {
            Optional<String> mode = nodes.text(keys.get("mode").value(), at + ".mode");
            mode.filter(m -> !m.equals("replicated")).ifPresent(m -> nodes.warn(keys.get("mode").key(), at + ".mode: " + m
                    + " is not applied: the service is replicated (deploy.replicas tasks)"));
        }
        int replicas = keys.containsKey("replicas") ? count(keys.get("replicas"), at + ".replicas", d.replicas()) : d.replicas();
        SwarmSettings.Update update = keys.containsKey("update_config") ? update(at + ".update_config", keys.get("update_config").value()) : d.update();
        return new SwarmSettings(Optional.empty(), replicas, d.ingress(), update);
    }

    private SwarmSettings.Update update(String at, Node node) {
        Map<String, ComposeNodes.Entry> keys = nodes.entries(node, at);
        nodes.checkKeys(keys, at, UPDATE_USED, UPDATE_NOT_APPLIED, "auto-rebuild's Swarm services");
        SwarmSettings.Update d = SwarmSettings.Update.DEFAULTS;
        int parallelism = keys.containsKey("parallelism") ? count(keys.get("parallelism"), at + ".parallelism", d.parallelism()) : d.parallelism();
        Duration delay = keys.containsKey("delay") ? runKeys.duration(keys.get("delay").value(), at + ".delay", d.delay()) : d.delay();
        Duration monitor = keys.containsKey("monitor") ? runKeys.duration(keys.get("monitor").value(), at + ".monitor", d.monitor()) : d.monitor();
        Optional<SwarmSettings.Order> order = keys.containsKey("order")
                ? oneOf(keys.get("order"), at + ".order", SwarmSettings.Order.values(), SwarmSettings.Order::key) : Optional.empty();
        SwarmSettings.FailureAction failure = keys.containsKey("failure_action")
                ? oneOf(keys.get("failure_action"), at + ".failure_action", SwarmSettings.FailureAction.values(),
                        a -> a.name().toLowerCase(java.util.Locale.ROOT)).orElse(d.failureAction())
                : d.failureAction();
        return new SwarmSettings.Update(parallelism, delay, order, failure, monitor);
    }

    private int count(ComposeNodes.Entry entry, String what, int fallback) {
        Optional<String> text = nodes.text(entry.value(), what);
        try {
            int n = Integer.parseInt(text.orElse(Integer.toString(fallback)).strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        nodes.problem(entry.value(), what + ": expected a whole number, 0 or more; got '" + text.orElse("") + "'");
        return fallback;
    }

    private <E> Optional<E> oneOf(ComposeNodes.Entry entry, String what, E[] values, java.util.function.Function<E, String> key) {
        Optional<String> text = nodes.text(entry.value(), what);
        Optional<E> found = text.flatMap(t -> Arrays.stream(values).filter(v -> key.apply(v).equals(t.strip())).findFirst());
        if (found.isEmpty()) {
            nodes.problem(entry.value(), what + ": '" + text.orElse("") + "' is not one of "
                    + String.join(", ", Arrays.stream(values).map(key).toList()));
        }
        return found;
    }
}
