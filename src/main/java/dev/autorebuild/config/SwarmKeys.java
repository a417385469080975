package dev.autorebuild.config;

import dev.autorebuild.core.deploy.SwarmSettings;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Swarm keys of dab.yml, checked, each problem at its key: {@code deployment.target} and
 * {@code deployment.registry}; a component's {@code deployment.target} and its {@code run.replicas},
 * {@code run.publish} and {@code run.update}.
 */
final class SwarmKeys {
    interface Problems {
        void at(String message, Object... path);
    }

    /** Parses a duration at a key path, reporting a problem there and returning the fallback when it is wrong. */
    interface Durations {
        Duration at(String text, Duration fallback, Object... path);
    }

    private SwarmKeys() {}

    static Optional<SwarmSettings.Target> target(String raw, Problems problems, Object... path) {
        if (raw == null) {
            return Optional.empty();
        }
        return Arrays.stream(SwarmSettings.Target.values()).filter(t -> t.key().equals(raw.strip())).findFirst()
                .or(() -> {
                    problems.at("target must be containers (a container on the engine) or swarm (a Swarm service); got '" + raw + "'", path);
                    return Optional.empty();
                });
    }

    /** {@code HOST[:PORT][/PREFIX]}: where images are pushed; no scheme, no tag. */
    static Optional<String> registry(String raw, Problems problems) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String r = raw.strip();
        if (!r.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[a-z0-9._/-]*[a-z0-9])?")) {
            problems.at("registry: '" + raw + "' is not a registry address; write HOST[:PORT][/PREFIX] without a scheme "
                    + "(e.g. 127.0.0.1:5000 or registry.example.com/team)", "deployment", "registry");
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** What a Swarm service does differently from a container with the same {@code run:} settings, said once at start. */
    static java.util.List<String> warnings(String component, dev.autorebuild.core.config.DabConfig.ComponentSettings settings,
                                           dev.autorebuild.core.config.DabConfig.Deployment deployment) {
        if (settings.run().swarm().targetOr(deployment.target()) != SwarmSettings.Target.SWARM) {
            return java.util.List.of();
        }
        java.util.List<String> warnings = new java.util.ArrayList<>();
        var run = settings.run();
        if (!run.ports().isEmpty()) {
            warnings.add("components." + component + ".run.ports: a Swarm service publishes on every address of its node"
                    + (run.swarm().ingress() ? " (and of every node, through the routing mesh)" : "") + ", not on 127.0.0.1 alone");
        }
        if (!run.volumes().isEmpty()) {
            warnings.add("components." + component + ".run.volumes: not applied to a Swarm service; its tasks run without them");
        }
        return warnings;
    }

    static SwarmSettings settings(String component, RawConfig.ComponentDeployment deployment, RawConfig.Run run,
                                  Problems problems, Durations durations) {
        SwarmSettings d = SwarmSettings.DEFAULTS;
        Optional<SwarmSettings.Target> target = deployment == null ? Optional.empty()
                : target(deployment.target(), problems, "components", component, "deployment", "target");
        if (run == null) {
            return new SwarmSettings(target, d.replicas(), d.ingress(), d.update());
        }
        int replicas = d.replicas();
        if (run.replicas() != null) {
            if (run.replicas() < 0) {
                problems.at("replicas is a count of tasks, 0 or more; got " + run.replicas(), "components", component, "run", "replicas");
            } else {
                replicas = run.replicas();
            }
        }
        boolean ingress = d.ingress();
        if (run.publish() != null) {
            switch (run.publish().strip()) {
                case "host" -> ingress = false;
                case "ingress" -> ingress = true;
                default -> problems.at("publish must be host (each task's node publishes the port) or ingress (Swarm's routing mesh); got '"
                        + run.publish() + "'", "components", component, "run", "publish");
            }
        }
        return new SwarmSettings(target, replicas, ingress, update(component, run.update(), problems, durations));
    }

    private static SwarmSettings.Update update(String component, RawConfig.Update raw, Problems problems, Durations durations) {
        SwarmSettings.Update d = SwarmSettings.Update.DEFAULTS;
        if (raw == null) {
            return d;
        }
        int parallelism = d.parallelism();
        if (raw.parallelism() != null) {
            if (raw.parallelism() < 0) {
                problems.at("parallelism is how many tasks are updated at once (0: all); got " + raw.parallelism(),
                        "components", component, "run", "update", "parallelism");
            } else {
                parallelism = raw.parallelism();
            }
        }
        Duration delay = durations.at(raw.delay(), d.delay(), "components", component, "run", "update", "delay");
        Duration monitor = durations.at(raw.monitor(), d.monitor(), "components", component, "run", "update", "monitor");
        Optional<SwarmSettings.Order> order = oneOf(raw.order(), SwarmSettings.Order.values(), SwarmSettings.Order::key, problems,
                "order must be start-first or stop-first", component, "order");
        SwarmSettings.FailureAction failure = oneOf(raw.failureAction(), SwarmSettings.FailureAction.values(),
                (a) -> a.name().toLowerCase(Locale.ROOT), problems, "failure-action must be rollback, pause or continue", component, "failure-action")
                .orElse(d.failureAction());
        return new SwarmSettings.Update(parallelism, delay, order, failure, monitor);
    }

    private static <E> Optional<E> oneOf(String raw, E[] values, java.util.function.Function<E, String> key, Problems problems,
                                         String expected, String component, String field) {
        if (raw == null) {
            return Optional.empty();
        }
        Optional<E> found = Arrays.stream(values).filter(v -> key.apply(v).equals(raw.strip())).findFirst();
        if (found.isEmpty()) {
            problems.at(expected + "; got '" + raw + "'", "components", component, "run", "update", field);
        }
        return found;
    }
}
