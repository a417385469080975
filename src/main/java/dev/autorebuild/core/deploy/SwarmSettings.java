package dev.autorebuild.core.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * How a component runs as a Docker Swarm service (dab.yml {@code deployment.target: swarm}, or a
 * component's own {@code deployment.target}). Pure values with their defaults.
 *
 * @param target   this component's target, when it differs from {@code deployment.target}
 * @param replicas how many tasks the service runs
 * @param ingress  publish ports through the routing mesh instead of on each task's node (host mode)
 * @param update   how Swarm rolls a new image out
 */
public record SwarmSettings(Optional<Target> target, int replicas, boolean ingress, Update update) {
    public static final SwarmSettings DEFAULTS = new SwarmSettings(Optional.empty(), 1, false, Update.DEFAULTS);

    /** Where a component's image runs: a container on the engine, or a Swarm service. */
    public enum Target {
        CONTAINERS, SWARM;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Order {
        START_FIRST, STOP_FIRST;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public enum FailureAction { ROLLBACK, PAUSE, CONTINUE }

    /**
     * Swarm's update settings ({@code docker service update --update-*}).
     *
     * @param order   empty: {@link #order(boolean)} decides
     * @param monitor how long Swarm watches each new task for a failure before it counts the task as updated
     */
    public record Update(int parallelism, Duration delay, Optional<Order> order, FailureAction failureAction, Duration monitor) {
        public static final Update DEFAULTS = new Update(1, Duration.ZERO, Optional.empty(), FailureAction.ROLLBACK, Duration.ofSeconds(5));

        /**
         * The order in force: as configured, else start-first (the old task serves until its successor runs)
         * unless the service publishes host-mode ports. A host port is held by one task per node, so a
         * start-first successor could never be placed beside its predecessor on a one-node swarm: it would
         * wait as "pending" for ever.
         */
        public Order order(boolean publishesHostPorts) {
            return order.orElse(publishesHostPorts ? Order.STOP_FIRST : Order.START_FIRST);
        }
    }

    /** The target in force for a component: its own, else the workspace's. */
    public Target targetOr(Target workspaceTarget) {
        return target.orElse(workspaceTarget);
    }
}
