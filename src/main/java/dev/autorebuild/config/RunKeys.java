package dev.autorebuild.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autorebuild.core.config.DabConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A component's {@code run:} keys, checked, each problem at its key: how its container (or service) runs. */
final class RunKeys {
    private static final Set<String> RESTART = Set.of("no", "always", "unless-stopped", "on-failure");

    private RunKeys() {}

    static DabConfig.Run check(String name, RawConfig.Run raw, RawConfig.ComponentDeployment deployment, SwarmKeys.Problems problems,
                               SwarmKeys.Durations durations) {
        DabConfig.Run d = DabConfig.Run.DEFAULTS;
        var swarm = SwarmKeys.settings(name, deployment, raw, problems, durations);
        if (raw == null) {
            return swarm.equals(d.swarm()) ? d : new DabConfig.Run(d.ports(), d.env(), d.command(), d.volumes(), d.network(), d.restart(),
                    d.init(), d.stopTimeout(), d.readiness(), swarm);
        }
        List<String> ports = raw.ports() == null ? List.of() : raw.ports();
        for (int i = 0; i < ports.size(); i++) {
            if (!dev.autorebuild.core.deploy.PortMapping.isValid(ports.get(i))) {
                problems.at("'" + ports.get(i) + "' is not a port mapping; write HOST:CONTAINER (e.g. \"8080:80\"), "
                        + "optionally ADDRESS:HOST:CONTAINER and /udp", "components", name, "run", "ports", i);
            }
        }
        String restart = raw.restart() == null ? d.restart() : raw.restart();
        if (!RESTART.contains(restart)) {
            problems.at("restart must be one of no, always, unless-stopped, on-failure; got '" + restart + "'", "components", name, "run", "restart");
        }
        Optional<List<String>> command = Optional.empty();
        JsonNode c = raw.command();
        if (c != null && !c.isNull()) {
            if (c.isTextual()) {
                command = Optional.of(List.of("sh", "-c", c.asText()));
            } else if (c.isArray()) {
                List<String> args = new ArrayList<>();
                c.forEach(n -> args.add(n.asText()));
                command = Optional.of(args);
            } else {
                problems.at("command is a string (run by sh -c) or a list of arguments", "components", name, "run", "command");
            }
        }
        Map<String, String> env = raw.env() == null ? Map.of() : raw.env();
        List<String> volumes = raw.volumes() == null ? List.of() : raw.volumes();
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i) == null || volumes.get(i).split(":").length < 2) {
                problems.at("'" + volumes.get(i) + "' is not a volume; write SOURCE:/path/in/container[:ro]", "components", name, "run", "volumes", i);
            }
        }
        Duration stopTimeout = durations.at(raw.stopTimeout(), d.stopTimeout(), "components", name, "run", "stop-timeout");
        return new DabConfig.Run(ports, env, command, volumes, Optional.ofNullable(raw.network()), restart, raw.init() != null ? raw.init() : d.init(),
                stopTimeout, readiness(name, raw.readiness(), problems, durations), swarm, raw.staging() != null ? raw.staging() : d.staging());
    }

    private static DabConfig.Readiness readiness(String name, RawConfig.Readiness raw, SwarmKeys.Problems problems, SwarmKeys.Durations durations) {
        DabConfig.Readiness d = DabConfig.Readiness.DEFAULTS;
        if (raw == null) {
            return d;
        }
        if (raw.tcp() != null && raw.http() != null) {
            problems.at("readiness is either tcp (a port) or http (a path), not both", "components", name, "run", "readiness", "http");
        }
        if (raw.http() != null && !raw.http().startsWith("/")) {
            problems.at("http is a path starting with / (e.g. /health)", "components", name, "run", "readiness", "http");
        }
        Duration timeout = durations.at(raw.timeout(), d.timeout(), "components", name, "run", "readiness", "timeout");
        return new DabConfig.Readiness(Optional.ofNullable(raw.tcp()), Optional.ofNullable(raw.http()), Optional.ofNullable(raw.port()), timeout);
    }
}
