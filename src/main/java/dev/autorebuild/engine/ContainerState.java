package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.Labels;
import dev.autorebuild.engine.ContainerRuntime.Container;

import java.util.Optional;

/**
 * A component's container (or Swarm service) as it stands, for status and for deciding what is pending.
 *
 * @param unknown why the engine could not tell (it does not answer), when it could not
 * @param service its Swarm service, when its target is {@code swarm} and the service exists
 * @param swarm   its target is {@code swarm}: {@code name} is its service's
 */
public record ContainerState(Component component, String name, Optional<Container> container, Optional<String> imageDigest,
                             boolean foreign, Optional<String> unknown, boolean holdsEarlierSyncs,
                             Optional<ServiceRuntime.Status> service, boolean swarm) {
    public ContainerState(Component component, String name, Optional<Container> container, Optional<String> imageDigest,
                          boolean foreign, Optional<String> unknown) {
        this(component, name, container, imageDigest, foreign, unknown, false);
    }

    public ContainerState(Component component, String name, Optional<Container> container, Optional<String> imageDigest,
                          boolean foreign, Optional<String> unknown, boolean holdsEarlierSyncs) {
        this(component, name, container, imageDigest, foreign, unknown, holdsEarlierSyncs, Optional.empty(), false);
    }

    /**
     * Its image was rebuilt after its container was created (or it has an image and no container yet),
     * or it received live syncs before the daemon started, which this daemon cannot account for, or it
     * was left on the staging network by a redeploy cut short.
     */
    public boolean pending() {
        if (swarm) { // the spec's digest: after a rollback it is the earlier one again, so the redeploy is still pending
            return !foreign && unknown.isEmpty() && imageDigest.isPresent() && !service.flatMap(ServiceRuntime.Status::digest).equals(imageDigest);
        }
        return !foreign && unknown.isEmpty() && imageDigest.isPresent()
                && container.map(c -> !imageDigest.get().equals(c.labels().get(Labels.DIGEST)) || !c.running() || c.staged() || holdsEarlierSyncs)
                .orElse(true);
    }

    public String describe() {
        if (unknown.isPresent()) {
            return "unknown: " + unknown.get();
        }
        if (foreign) {
            return "a foreign " + (swarm ? "service" : "container") + " holds the name " + name;
        }
        if (swarm) {
            return service.map(ServiceRuntime.Status::describe).orElse("no service yet");
        }
        return container.map(c -> (c.running() ? "running " : "stopped ") + c.id().substring(0, Math.min(12, c.id().length()))
                        + (c.staged() ? " (on the staging network alone, serving nobody: a redeploy was cut short; the next one finishes it)" : "")
                        + (holdsEarlierSyncs ? " (it holds live syncs from before the daemon started: a redeploy resets it to its image)" : ""))
                .orElse("no container");
    }
}
