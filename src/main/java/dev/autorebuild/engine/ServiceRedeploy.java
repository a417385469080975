package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.core.deploy.ServiceNames;
import dev.autorebuild.core.deploy.SwarmSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Redeploys a component whose target is {@code swarm}: its image (pushed to {@code deployment.registry}
 * and named by digest, when one is set) becomes its service's image, and Swarm's own update monitor
 * decides the outcome. We wait for that outcome and report it: updated, or rolled back with the
 * failing task's error. The old tasks keep serving through a bad update whenever the update order
 * lets them (start-first; see {@link SwarmSettings.Update#order(boolean)}).
 *
 * <p>Only services labelled for this workspace and component are ever updated.
 */
final class ServiceRedeploy {
    /** The manager's state, polled: it has no event we could wait on through this port. */
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int LOG_LINES = 20;
    /** Tags this class gives: a content digest's first hex digits, pushed; with a prefix, local only. Only these are ever removed. */
    private static final java.util.regex.Pattern PUSHED_TAG = java.util.regex.Pattern.compile("[0-9a-f]{12}");
    private static final String LOCAL_TAG_PREFIX = "dab-";
    private static final java.util.regex.Pattern LOCAL_TAG = java.util.regex.Pattern.compile("dab-[0-9a-f]{12}");

    private final Path workspace;
    private final ServiceRuntime services;
    private final ContainerRuntime containers;
    private final RebuildListener listener;

    ServiceRedeploy(Path workspace, ServiceRuntime services, ContainerRuntime containers, RebuildListener listener) {
        this.workspace = workspace;
        this.services = services;
        this.containers = containers;
        this.listener = listener;
    }

    /** The service as it stands, and whether it is someone else's. */
    record Found(Optional<ServiceRuntime.Service> service, Optional<ServiceRuntime.Status> status, boolean foreign) {}

    Found look(String name, Component component) {
        Optional<ServiceRuntime.Service> service = services.inspect(name);
        if (service.isEmpty()) {
            return new Found(Optional.empty(), Optional.empty(), false);
        }
        ServiceRuntime.Service s = service.get();
        boolean ours = workspace.toString().equals(s.labels().get(Labels.WORKSPACE)) && component.folder().equals(s.labels().get(Labels.COMPONENT));
        int running = (int) services.tasks(s.id()).stream().filter(t -> t.running() && t.desiredState().equals("running")).count();
        return new Found(service, Optional.of(new ServiceRuntime.Status(s.id(), s.image(), running, s.desired(), s.updateState(), s.updateMessage(),
                Optional.ofNullable(s.labels().get(Labels.DIGEST)))), !ours);
    }

    /** Why the engine cannot run services (it is no Swarm manager), if so; empty when it can, or cannot say. */
    Optional<String> whyNoServices() {
        try {
            return services.whyNotAManager().map(why -> "the engine cannot run Swarm services: " + why);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<ServiceRuntime.Service> existing(String name) {
        return services.inspect(name);
    }

    /** Brings the service to {@code digest}'s image; whether it now runs it. */
    boolean redeploy(Component component, String name, String digest, Optional<ServiceRuntime.Service> existing,
                     DabConfig.ComponentSettings settings, Optional<String> registry) {
        Optional<String> notManager = services.whyNotAManager();
        if (notManager.isPresent()) {
            return fail(component, "the engine cannot run Swarm services: " + notManager.get()
                    + "; run docker swarm init there, or set deployment.target: containers", List.of());
        }
        if (registry.isEmpty() && services.readyNodes() > 1) {
            return fail(component, "this swarm has " + services.readyNodes() + " nodes, and the others cannot get an image that is only on "
                    + "this engine: set deployment.registry (e.g. registry.example.com:5000) so images are pushed and services use them by digest",
                    List.of());
        }
        listener.on(new RebuildEvent.RedeployStarted(component, "service " + name));
        long started = System.nanoTime();
        String shortDigest = ServiceNames.shortDigest(digest);
        // with a registry, what it holds is kept; on the engine only the tags still needed: the new one and the one the service runs
        Optional<String> running = existing.flatMap(s -> Optional.ofNullable(s.labels().get(Labels.DIGEST))).map(ServiceNames::shortDigest);
        String image;
        if (registry.isPresent()) {
            String repository = ServiceNames.pushedRepository(registry.get(), component.image());
            try {
                image = services.push(component.image(), repository, shortDigest);
            } catch (RuntimeException e) {
                return fail(component, "the push to " + registry.get() + " failed: " + e.getMessage()
                        + (existing.isPresent() ? "; the running service is untouched" : ""), List.of());
            }
            services.untag(repository, PUSHED_TAG, keep(shortDigest, running, ""));
        } else {
            // a tag of its own per content, so the spec changes and Swarm rolls; a single node has the image already
            String repository = ServiceNames.withoutTag(component.image());
            services.tag(component.image(), repository, LOCAL_TAG_PREFIX + shortDigest);
            image = repository + ":" + LOCAL_TAG_PREFIX + shortDigest;
            services.untag(repository, LOCAL_TAG, keep(shortDigest, running, LOCAL_TAG_PREFIX));
        }
        ServiceRuntime.Spec spec = spec(component, name, image, digest, settings);
        Optional<String> failure = existing.isPresent() ? awaitUpdate(existing.get(), spec, settings) : awaitCreated(spec, settings);
        if (failure.isPresent()) {
            List<String> logs = lastFailureLogs;
            lastFailureLogs = List.of();
            return fail(component, failure.get(), logs);
        }
        String id = services.inspect(name).map(ServiceRuntime.Service::id).orElse(name);
        listener.on(new RebuildEvent.Redeployed(component, "service " + name, id, Duration.ofNanos(System.nanoTime() - started)));
        return true;
    }

    private Optional<String> awaitCreated(ServiceRuntime.Spec spec, DabConfig.ComponentSettings settings) {
        String id = services.create(spec);
        Duration limit = settings.run().readiness().timeout();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<ServiceRuntime.Task> tasks = services.tasks(id);
            long running = tasks.stream().filter(ServiceRuntime.Task::running).count();
            if (running >= spec.swarm().replicas()) {
                return Optional.empty();
            }
            Optional<ServiceRuntime.Task> failed = tasks.stream().filter(t -> t.state().equals("failed") || t.state().equals("rejected")).findFirst();
            if (failed.isPresent() || System.nanoTime() > deadline) {
                List<String> logs = failed.flatMap(ServiceRuntime.Task::containerId).map(this::safeLogs).orElse(List.of());
                String why = failed.map(ServiceRedeploy::why).orElseGet(() -> "only " + running + " of " + spec.swarm().replicas()
                        + " tasks run after " + limit.toSeconds() + " s" + tasks.stream().findFirst().map(t -> " (" + why(t) + ")").orElse(""));
                services.remove(id); // a service that never ran is not left behind, as a container that never started is not
                lastFailureLogs = logs;
                return Optional.of("the new service did not start: " + why + "; it was removed");
            }
            pause();
        }
    }

    /** The log tail of the failed task a failure is about, kept for the event. */
    private List<String> lastFailureLogs = List.of();

    /**
     * Updates the service and waits for Swarm's verdict. An update state counts only if it began after our
     * change (the manager's clock on both sides), so an earlier update's "completed" is never read as ours.
     */
    private Optional<String> awaitUpdate(ServiceRuntime.Service old, ServiceRuntime.Spec spec, DabConfig.ComponentSettings settings) {
        services.update(old.id(), spec);
        Instant since = services.inspect(old.name()).map(ServiceRuntime.Service::updatedAt).orElse(old.updatedAt());
        SwarmSettings.Update u = spec.swarm().update();
        int rounds = u.parallelism() == 0 ? 1 : (spec.swarm().replicas() + u.parallelism() - 1) / Math.max(1, u.parallelism());
        Duration ready = settings.run().readiness().timeout();
        UpdateDeadline deadline = new UpdateDeadline(System.nanoTime(), ready.plus(u.monitor().plus(u.delay()).multipliedBy(Math.max(1, rounds))),
                ready.plus(u.monitor().multipliedBy(Math.max(1, rounds)))); // the rollback: same parallelism and monitor, no delay
        while (true) {
            Optional<ServiceRuntime.Service> now = services.inspect(old.name());
            if (now.isEmpty()) {
                return Optional.of("the service " + old.name() + " was removed while it was being updated");
            }
            ServiceRuntime.Service s = now.get();
            boolean ours = s.updateStartedAt().map(t -> !t.isBefore(since)).orElse(false);
            String state = ours ? s.updateState().orElse("") : "";
            switch (state) {
                case "completed" -> {
                    return shortOfReplicas(s, spec);
                }
                case "rollback_completed" -> {
                    return Optional.of("Swarm rolled the update back (" + failingTask(s.id(), spec.image()) + "); the previous version keeps serving");
                }
                case "paused", "rollback_paused" -> {
                    return Optional.of("Swarm paused the update (" + s.updateMessage().orElse(state) + "; " + failingTask(s.id(), spec.image())
                            + "): docker service update --rollback " + s.name() + " goes back");
                }
                default -> {
                    long at = System.nanoTime();
                    if (deadline.passed(state, at, () -> aNewTaskFailed(s.id(), spec.image()))) {
                        return Optional.of((state.equals("rollback_started") ? "Swarm's rollback of the update" : "the update") + " has not finished after "
                                + deadline.waited(at).toSeconds() + " s (" + failingTask(s.id(), spec.image()) + "); Swarm goes on with it");
                    }
                }
            }
            pause();
        }
    }

    /** Whether a task of {@code image} has failed: Swarm then rolls the update back, or pauses it. */
    private boolean aNewTaskFailed(String serviceId, String image) {
        return services.tasks(serviceId).stream().anyMatch(t -> t.image().equals(image) && (t.state().equals("failed") || t.state().equals("rejected")));
    }

    /** With {@code failure-action: continue} an update completes even when its tasks fail: say so. */
    private Optional<String> shortOfReplicas(ServiceRuntime.Service s, ServiceRuntime.Spec spec) {
        long running = services.tasks(s.id()).stream().filter(t -> t.running() && t.image().equals(spec.image())).count();
        return running >= spec.swarm().replicas() ? Optional.empty()
                : Optional.of("Swarm completed the update, but " + running + " of " + spec.swarm().replicas() + " tasks run the new image ("
                + failingTask(s.id(), spec.image()) + ")");
    }

    /** Why the newest task of {@code image} that did not run failed or waits, in Swarm's words. */
    private String failingTask(String serviceId, String image) {
        List<ServiceRuntime.Task> tasks = services.tasks(serviceId).stream().filter(t -> t.image().equals(image) && !t.running()).toList();
        Optional<ServiceRuntime.Task> task = tasks.stream().filter(t -> t.error().isPresent()).findFirst().or(() -> tasks.stream().findFirst());
        lastFailureLogs = task.flatMap(ServiceRuntime.Task::containerId).map(this::safeLogs).orElse(List.of());
        return task.map(t -> "a new task " + why(t)).orElse("no new task ran");
    }

    private static String why(ServiceRuntime.Task t) {
        return t.state() + t.error().or(t::message).map(e -> ": " + e).orElse("");
    }

    private List<String> safeLogs(String containerId) {
        try {
            return containers.logTail(containerId, LOG_LINES);
        } catch (RuntimeException e) { // on another node, or already gone: the task's error says enough
            return List.of();
        }
    }

    private static Set<String> keep(String shortDigest, Optional<String> running, String prefix) {
        Set<String> keep = new java.util.HashSet<>(Set.of(prefix + shortDigest));
        running.ifPresent(r -> keep.add(prefix + r));
        return keep;
    }

    /** Components already told that their Compose network is not a service's. */
    private final Set<String> toldAboutNetwork = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The network a service joins: dab.yml's {@code run.network} (a swarm-scoped one). The network a Compose
     * file implies ({@code <project>_default}, or the service's first) is a local bridge that no service can
     * join, so the service runs without it, and the log says so once.
     */
    private Optional<String> network(Component component, DabConfig.ComponentSettings settings) {
        Optional<String> composeNetwork = settings.compose().map(DabConfig.ComposeService::network);
        if (composeNetwork.isPresent() && composeNetwork.equals(settings.run().network())) {
            if (toldAboutNetwork.add(component.folder())) {
                listener.on(new RebuildEvent.Warning("[" + component.folder() + "] its Compose network " + composeNetwork.get()
                        + " is a local one, which a Swarm service cannot join: the service runs without it (set run.network to an overlay "
                        + "network to join one)"));
            }
            return Optional.empty();
        }
        return settings.run().network();
    }

    private ServiceRuntime.Spec spec(Component component, String name, String image, String digest, DabConfig.ComponentSettings settings) {
        DabConfig.Run run = settings.run();
        Map<String, String> labels = Map.of(Labels.WORKSPACE, workspace.toString(), Labels.COMPONENT, component.folder(), Labels.DIGEST, digest);
        List<PortMapping> ports = run.ports().stream().map(PortMapping::parse).toList();
        return new ServiceRuntime.Spec(name, image, labels, ports, run.env(), run.command(), network(component, settings), run.init(), run.stopTimeout(),
                settings.compose().flatMap(DabConfig.ComposeService::healthcheck), run.swarm());
    }

    private boolean fail(Component component, String reason, List<String> logTail) {
        listener.on(new RebuildEvent.RedeployFailed(component, reason, logTail));
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // another process's state: nothing to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Swarm", e);
        }
    }
}
