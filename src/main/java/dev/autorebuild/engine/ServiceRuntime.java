package dev.autorebuild.engine;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.core.deploy.SwarmSettings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's view of Docker Swarm, for components whose target is {@code swarm}; the Docker adapter implements it. */
public interface ServiceRuntime {

    /**
     * A service as the manager reports it.
     *
     * @param labels      the service's own labels (ours carry the workspace, the component and the content digest)
     * @param updatedAt   when its spec last changed, on the manager's clock
     * @param updateState Swarm's {@code UpdateStatus.State} ({@code updating}, {@code completed}, {@code rollback_completed}, …), empty before any update
     * @param updateStartedAt when that update began, on the manager's clock
     */
    record Service(String id, String name, Map<String, String> labels, String image, int desired, Instant updatedAt,
                   Optional<String> updateState, Optional<String> updateMessage, Optional<Instant> updateStartedAt) {}

    /**
     * A service as status shows it.
     *
     * @param digest the content digest its spec was last set to (after a rollback, the earlier one)
     */
    record Status(String id, String image, int running, int desired, Optional<String> updateState, Optional<String> updateMessage,
                  Optional<String> digest) {
        /** {@code 1/1 running, update completed, image 127.0.0.1:5000/shop-web@sha256:…}. */
        public String describe() {
            String update = updateState.map(s -> ", update " + s.replace('_', ' ')
                    + updateMessage.filter(m -> !m.isBlank() && !m.equals(s.replace('_', ' '))).map(m -> " (" + m + ")").orElse("")).orElse("");
            return running + "/" + desired + " running" + update + ", image " + image;
        }
    }

    /**
     * One task of a service.
     *
     * @param state   Swarm's task state ({@code running}, {@code failed}, {@code pending}, …)
     * @param error   why it failed, or why it cannot be placed ({@code no suitable node (…)}), when Swarm says
     */
    record Task(String id, String image, String state, String desiredState, Optional<String> error, Optional<String> message,
                Optional<String> containerId, Instant createdAt) {
        public boolean running() {
            return state.equals("running");
        }
    }

    /**
     * What a service should run.
     *
     * @param image   a reference every node can resolve: {@code registry/repo@sha256:…} with a registry
     * @param network a swarm-scoped network to attach, if any
     */
    record Spec(String name, String image, Map<String, String> labels, List<PortMapping> ports, Map<String, String> env,
                Optional<List<String>> command, Optional<String> network, boolean init, java.time.Duration stopGracePeriod,
                Optional<DabConfig.Healthcheck> healthcheck, SwarmSettings swarm) {
        public boolean publishesHostPorts() {
            return !ports.isEmpty() && !swarm.ingress();
        }
    }

    /** Whether the engine is a Swarm manager (services can be created through it); why not, when it is not. */
    Optional<String> whyNotAManager();

    /** How many nodes the swarm has that are ready. */
    int readyNodes();

    Optional<Service> inspect(String name);

    /** Creates the service; returns its id. */
    String create(Spec spec);

    /** Replaces the service's spec with {@code spec} (Swarm then rolls its tasks by {@code spec.swarm().update()}). */
    void update(String id, Spec spec);

    void remove(String serviceId);

    /** The service's tasks, newest first. */
    List<Task> tasks(String serviceId);

    /**
     * Tags {@code image} as {@code repository:tag} and pushes it through the engine.
     *
     * @return the pushed image by digest ({@code repository@sha256:…}), as the registry names it
     * @throws RuntimeException with the registry's own message when the push fails
     */
    String push(String image, String repository, String tag);

    /** Tags {@code image} as {@code repository:tag} on the engine, without pushing it. */
    void tag(String image, String repository, String tag);

    /**
     * Removes those of {@code repository}'s tags on the engine that match {@code ours} and are not in
     * {@code keep} (an image stays while anything else names it). Tags that do not match are never touched.
     */
    void untag(String repository, java.util.regex.Pattern ours, java.util.Set<String> keep);
}
