package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.EngineMessages;
import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.ComposeLabels;
import dev.autorebuild.core.deploy.ContainerName;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.engine.ContainerRuntime.Container;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Brings components' containers to their current images, proving each new container ready before the
 * old one goes. The old container is only renamed aside (and stopped first when the new one needs its
 * host ports); if the new one does not become ready it is removed and the old one restored. Only
 * containers carrying this workspace's label are ever stopped, renamed or removed.
 *
 * <p>Not thread-safe: the daemon runs redeploys one at a time on one thread.
 */
public final class Redeployer {
    static final int LOG_LINES = 20;

    private final Path workspace;
    private final ContainerRuntime runtime;
    private final ImageBuilder images;
    private final RebuildListener listener;
    private final Supplier<DabConfig> config;
    private final ReadinessWait readiness;
    /** Port-publishing components' new containers start beside the old one, which keeps serving until they are ready. */
    private final StagedSwap staging;
    /** Creates a new container while the old one stops; one redeploy at a time, so one thread. */
    private final Executor creator = java.util.concurrent.Executors.newSingleThreadExecutor(dev.autorebuild.core.Threads.daemon("dab-deploy-create"));

    /** Containers that received live syncs before this daemon started (see {@link dev.autorebuild.fs.SyncedContainers}). */
    private volatile java.util.Set<String> syncedBeforeStart = java.util.Set.of();

    /** Set once at start, before the first redeploy. */
    public void containersSyncedBeforeStart(java.util.Set<String> ids) {
        this.syncedBeforeStart = java.util.Set.copyOf(ids);
    }

    /** Components whose target is {@code swarm}: their services. */
    private final Optional<ServiceRedeploy> services;

    public Redeployer(Path workspace, ContainerRuntime runtime, ImageBuilder images, RebuildListener listener, Supplier<DabConfig> config) {
        this(workspace, runtime, Optional.empty(), images, listener, config);
    }

    public Redeployer(Path workspace, ContainerRuntime runtime, Optional<ServiceRuntime> services, ImageBuilder images, RebuildListener listener,
                      Supplier<DabConfig> config) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.runtime = runtime;
        this.readiness = new ReadinessWait(runtime);
        this.staging = new StagedSwap(runtime, readiness, listener);
        this.images = images;
        this.listener = listener;
        this.config = config;
        this.services = services.map(s -> new ServiceRedeploy(this.workspace, s, runtime, listener));
    }

    public ContainerState state(Component component) {
        if (isSwarm(component) && services.isPresent()) {
            return serviceState(component, services.get());
        }
        String name = containerName(component);
        Optional<Container> container;
        Optional<String> digest;
        try {
            container = runtime.inspect(name).or(() -> adoptable(component));
            digest = imageDigest(component);
        } catch (RuntimeException e) { // the engine does not answer: status and the API say so instead of failing
            String why = images.engineProblem().orElseGet(() -> EngineMessages.oneLine(e)); // where we looked and what we got, if a ping says it
            return new ContainerState(component, name, Optional.empty(), Optional.empty(), false,
                    Optional.of("the container engine does not answer (" + why + ")"));
        }
        boolean foreign = container.isPresent() && !isOurs(container.get(), component);
        boolean earlierSyncs = container.map(c -> syncedBeforeStart.contains(c.id())).orElse(false);
        return new ContainerState(component, name, container, digest, foreign, Optional.empty(), earlierSyncs);
    }

    private boolean isSwarm(Component component) {
        return config.get().target(settings(component)) == dev.autorebuild.core.deploy.SwarmSettings.Target.SWARM;
    }

    private ContainerState serviceState(Component component, ServiceRedeploy swarm) {
        String name = serviceName(component);
        try {
            ServiceRedeploy.Found found = swarm.look(name, component);
            return new ContainerState(component, name, Optional.empty(), imageDigest(component), found.foreign(), Optional.empty(), false,
                    found.status(), true);
        } catch (RuntimeException e) {
            Optional<String> problem = images.engineProblem();
            String unknown = problem.map(p -> "the container engine does not answer (" + p + ")")
                    .or(() -> swarm.whyNoServices().map(why -> why + "; run docker swarm init there, or set deployment.target: containers"))
                    .orElseGet(() -> "the engine did not say (" + EngineMessages.oneLine(e) + ")");
            return new ContainerState(component, name, Optional.empty(), Optional.empty(), false, Optional.of(unknown), false, Optional.empty(), true);
        }
    }

    /** Only an image this workspace built: another checkout's image under the same tag is never deployed here. */
    private Optional<String> imageDigest(Component component) {
        return images.labelsOf(component.image()).filter(l -> workspace.toString().equals(l.get(Labels.WORKSPACE))).map(l -> l.get(Labels.DIGEST));
    }

    /** A component's Swarm service: {@code <workspace>_<component>}. */
    public String serviceName(Component component) {
        return dev.autorebuild.core.deploy.ServiceNames.service(config.get().projectName(workspace.getFileName().toString()), component.folder());
    }

    public List<Component> pending(Collection<Component> components) {
        return components.stream().filter(c -> state(c).pending()).toList();
    }

    /** Redeploys each of {@code components} in turn; returns how many now run their current image. */
    public int redeploy(Collection<Component> components) {
        int done = 0;
        for (Component component : components) {
            done += redeployAsFound(List.of(state(component)));
        }
        return done;
    }

    /**
     * Redeploys each component as {@code states} found it when the redeploy began: a caller that has just
     * asked the engine (to tell what is pending) spares the swap two more requests before it starts.
     */
    public int redeployAsFound(List<ContainerState> states) {
        int done = 0;
        for (ContainerState state : states) {
            try {
                done += redeploy(state) ? 1 : 0;
            } catch (RuntimeException e) {
                listener.on(new RebuildEvent.RedeployFailed(state.component(), "the container engine refused: " + e.getMessage(), List.of()));
            }
        }
        return done;
    }

    private boolean redeploy(ContainerState state) {
        Component component = state.component();
        if (state.unknown().isPresent()) {
            return fail(component, "nothing was replaced: " + state.unknown().get(), List.of());
        }
        if (state.foreign()) {
            return fail(component, "a " + (state.swarm() ? "service" : "container") + " named " + state.name()
                    + " exists that auto-rebuild did not create for " + workspace + "; it is left alone: rename or remove it to let auto-rebuild run "
                    + component.folder(), List.of());
        }
        if (state.imageDigest().isEmpty()) {
            return fail(component, "there is no image " + component.image() + " yet: it is built first", List.of());
        }
        if (!state.pending()) {
            return true; // already runs its current image
        }
        if (state.swarm()) {
            Optional<ServiceRuntime.Service> existing = state.service().isPresent() ? services.get().existing(state.name()) : Optional.empty();
            return services.get().redeploy(component, state.name(), state.imageDigest().get(), existing, settings(component),
                    config.get().deployment().registry());
        }
        String standby = ContainerName.standby(state.name());
        Optional<Container> leftover = runtime.inspect(standby);
        if (leftover.isPresent()) {
            if (!isOurs(leftover.get(), component)) {
                return fail(component, "a container named " + standby + " exists that auto-rebuild did not create; it is left alone", List.of());
            }
            runtime.remove(leftover.get().id()); // an interrupted redeploy's: its successor already runs
        }
        listener.on(new RebuildEvent.RedeployStarted(component, state.name()));
        long started = System.nanoTime();
        DabConfig.ComponentSettings settings = config.get().component(component.folder(), DockerName.sanitize(component.folder()));
        ContainerRuntime.Spec spec = spec(component, state.name(), state.imageDigest().get(), settings);
        Optional<Container> old = state.container();
        boolean oldWasRunning = old.map(Container::running).orElse(false);
        if (old.isPresent()) {
            runtime.rename(old.get().id(), standby);
        }
        boolean stagedExited = false;
        if (old.isPresent() && oldWasRunning && staging.stages(component, spec, settings.run())) {
            StagedSwap.Outcome outcome = staging.swap(component, state.name(), spec, old.get(), standby, settings, started);
            if (outcome == StagedSwap.Outcome.DEPLOYED || outcome == StagedSwap.Outcome.FAILED) {
                return outcome == StagedSwap.Outcome.DEPLOYED;
            }
            stagedExited = outcome == StagedSwap.Outcome.EXITED;
        }
        String newId;
        try {
            // the old container's host ports must be free before the new one starts: it stops first
            newId = old.isPresent() && oldWasRunning && !spec.ports().isEmpty()
                    ? createWhileStopping(spec, old.get(), settings.run().stopTimeout())
                    : runtime.run(spec);
        } catch (RuntimeException e) {
            // whatever the failed start left under the name goes first (never the old container: it waits under
            // its standby name), then the old one takes its name back
            runtime.inspect(state.name()).filter(c -> isOurs(c, component)).ifPresent(c -> runtime.remove(c.id()));
            old.ifPresent(o -> OldContainer.restore(runtime, o, o.name(), oldWasRunning)); // its own name: an adopted Compose container keeps its own
            return fail(component, "the new container did not start: " + e.getMessage()
                    + (old.isPresent() ? "; the previous container is back in service" : ""), List.of());
        }
        Optional<String> notReady = readiness.await(newId, settings.run());
        if (notReady.isPresent()) {
            List<String> logs = runtime.logTail(newId, LOG_LINES);
            runtime.remove(newId);
            old.ifPresent(o -> OldContainer.restore(runtime, o, o.name(), oldWasRunning)); // its own name: an adopted Compose container keeps its own
            return fail(component, notReady.get() + (old.isPresent() ? "; the previous container is back in service" : ""), logs);
        }
        if (stagedExited) {
            staging.needsItsNetwork(component);
            listener.on(new RebuildEvent.Warning("[" + component.folder() + "] it started on its own network: it needs that network to start, "
                    + "so its next redeploys start it there at once (the previous container stops first)"));
        }
        if (!settings.watchRules().isEmpty()) {
            runtime.prepareCopies(newId);
        }
        // said as soon as the new container serves: a live-reload page listening for it need not wait for
        // the old container's removal (30-40 ms), which still ends before this redeploy returns
        listener.on(new RebuildEvent.Redeployed(component, state.name(), newId, Duration.ofNanos(System.nanoTime() - started)));
        old.ifPresent(o -> OldContainer.retire(runtime, listener, component, o, standby, settings.run().stopTimeout()));
        return true;
    }

    /**
     * Creates the new container while the old one stops (creating binds no port), then starts it: the
     * create's time comes off the redeploy. A failure on either side leaves no new container behind.
     */
    private String createWhileStopping(ContainerRuntime.Spec spec, Container old, Duration stopTimeout) {
        CompletableFuture<String> created = CompletableFuture.supplyAsync(() -> runtime.create(spec), creator);
        RuntimeException stopFailed = null;
        try {
            runtime.stop(old.id(), stopTimeout);
        } catch (RuntimeException e) {
            stopFailed = e;
        }
        String id;
        try {
            id = created.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (stopFailed != null) {
            runtime.remove(id);
            throw stopFailed;
        }
        runtime.startOrRemove(id);
        return id;
    }

    private ContainerRuntime.Spec spec(Component component, String name, String digest, DabConfig.ComponentSettings settings) {
        DabConfig.Run run = settings.run();
        Path dir = workspace.resolve(component.folder());
        List<String> volumes = new ArrayList<>();
        for (String volume : run.volumes()) {
            int colon = volume.indexOf(':');
            String source = volume.substring(0, colon);
            boolean hostPath = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
            volumes.add(hostPath ? dir.resolve(source).normalize() + volume.substring(colon) : volume);
        }
        Map<String, String> labels = new java.util.HashMap<>(Map.of(Labels.WORKSPACE, workspace.toString(), Labels.COMPONENT, component.folder(),
                Labels.DIGEST, digest));
        settings.compose().ifPresent(c -> labels.putAll(ComposeLabels.container(c, workspace)));
        List<PortMapping> ports = run.ports().stream().map(PortMapping::parse).toList();
        return settings.compose().map(c -> new ContainerRuntime.Spec(name, component.image(), labels, ports, run.env(), run.command(), volumes,
                        run.network(), run.restart(), run.init(), c.entrypoint(), c.stopSignal(), c.healthcheck(),
                        c.network().startsWith("container:") || List.of("host", "none", "bridge").contains(c.network()) ? List.of() : List.of(c.service()),
                        c.networkLabels()))
                .orElseGet(() -> new ContainerRuntime.Spec(name, component.image(), labels, ports, run.env(), run.command(), volumes, run.network(),
                        run.restart(), run.init()));
    }

    public String containerName(Component component) {
        return settings(component).compose().map(DabConfig.ComposeService::containerName)
                .orElseGet(() -> ContainerName.of(config.get().projectName(workspace.getFileName().toString()), component.folder()));
    }

    private DabConfig.ComponentSettings settings(Component component) {
        return config.get().component(component.folder(), DockerName.sanitize(component.folder()));
    }

    /**
     * A container Compose made for this service (named {@code <project>_<service>_1} by docker-compose 1.x),
     * when none has our name: it is replaced on redeploy, never duplicated.
     */
    private Optional<Container> adoptable(Component component) {
        return settings(component).compose()
                .flatMap(c -> runtime.withLabels(ComposeLabels.identity(c)).stream().max(java.util.Comparator.comparing(Container::running)));
    }

    /** Ours: labelled for this workspace and component, or by Compose for this project and service. */
    private boolean isOurs(Container c, Component component) {
        boolean labelledByUs = workspace.toString().equals(c.labels().get(Labels.WORKSPACE)) && component.folder().equals(c.labels().get(Labels.COMPONENT));
        return labelledByUs || settings(component).compose()
                .filter(compose -> ComposeLabels.identity(compose).entrySet().stream().allMatch(e -> e.getValue().equals(c.labels().get(e.getKey()))))
                .isPresent();
    }

    private boolean fail(Component component, String reason, List<String> logTail) {
        listener.on(new RebuildEvent.RedeployFailed(component, reason, logTail));
        return false;
    }
}
