package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.PushResponseItem;

import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNodeState;

import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.core.deploy.SwarmSettings;
import dev.autorebuild.engine.ServiceRuntime;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** docker-java adapter for Swarm services: create, update, tasks, and images pushed to a registry. */
public final class DockerServices implements ServiceRuntime {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** A push of a few layers to a registry nearby takes well under a second; a stuck one is given up on. */
    private static final Duration PUSH_LIMIT = Duration.ofMinutes(10);

    private final DockerClient docker;
    private final RegistryAuth auth;

    public DockerServices(DockerClient docker, RegistryAuth auth) {
        this.docker = docker;
        this.auth = auth;
    }

    @Override
    public Optional<String> whyNotAManager() {
        SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != LocalNodeState.ACTIVE) {
            return Optional.of("it is not part of a swarm" + Optional.ofNullable(swarm).map(SwarmInfo::getLocalNodeState)
                    .map(s -> " (its swarm state: " + s.name().toLowerCase(java.util.Locale.ROOT) + ")").orElse(""));
        }
        return Boolean.TRUE.equals(swarm.getControlAvailable()) ? Optional.empty()
                : Optional.of("it is a swarm worker; services are created through a manager (point engine.host at one)");
    }

    @Override
    public int readyNodes() {
        return (int) docker.listSwarmNodesCmd().exec().stream()
                .filter(n -> n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY).count();
    }

    @Override
    public Optional<ServiceRuntime.Service> inspect(String name) {
        try {
            com.github.dockerjava.api.model.Service s = docker.inspectServiceCmd(name).exec();
            ServiceSpec spec = s.getSpec();
            String image = spec.getTaskTemplate().getContainerSpec().getImage();
            int desired = Optional.ofNullable(spec.getMode()).map(ServiceModeConfig::getReplicated)
                    .map(r -> (int) r.getReplicas()).orElse(1);
            var update = Optional.ofNullable(s.getUpdateStatus());
            return Optional.of(new ServiceRuntime.Service(s.getId(), spec.getName(), Optional.ofNullable(spec.getLabels()).orElse(Map.of()), image,
                    desired, s.getUpdatedAt().toInstant(),
                    update.map(u -> u.getState()).map(st -> st.name().toLowerCase(java.util.Locale.ROOT)),
                    update.map(u -> u.getMessage()), update.map(u -> u.getStartedAt()).map(java.util.Date::toInstant)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String create(ServiceRuntime.Spec spec) {
        var create = docker.createServiceCmd(serviceSpec(spec));
        // as --with-registry-auth: the nodes pull with it, and later updates keep it (the engine carries it over)
        auth.forImage(spec.image()).ifPresent(create::withAuthConfig);
        return create.exec().getId();
    }

    @Override
    public void update(String id, ServiceRuntime.Spec spec) {
        com.github.dockerjava.api.model.Service current = docker.inspectServiceCmd(id).exec();
        docker.updateServiceCmd(id, serviceSpec(spec)).withVersion(current.getVersion().getIndex()).exec();
    }

    @Override
    public void remove(String serviceId) {
        try {
            docker.removeServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            // gone already
        }
    }

    @Override
    public List<ServiceRuntime.Task> tasks(String serviceId) {
        return docker.listTasksCmd().withServiceFilter(serviceId).exec().stream().map(DockerServices::task)
                .sorted(Comparator.comparing(ServiceRuntime.Task::createdAt).reversed()).toList();
    }

    private static ServiceRuntime.Task task(com.github.dockerjava.api.model.Task t) {
        var status = t.getStatus();
        String image = Optional.ofNullable(t.getSpec()).map(TaskSpec::getContainerSpec).map(ContainerSpec::getImage).orElse("");
        Optional<String> container = Optional.ofNullable(status == null ? null : status.getContainerStatus()).map(c -> c.getContainerID())
                .filter(c -> !c.isBlank());
        Instant created = Optional.ofNullable(t.getCreatedAt()).map(Instant::parse).orElse(Instant.EPOCH);
        return new ServiceRuntime.Task(t.getId(), image, status == null || status.getState() == null ? "unknown" : status.getState().getValue(),
                t.getDesiredState() == null ? "unknown" : t.getDesiredState().getValue(),
                Optional.ofNullable(status == null ? null : status.getErr()).filter(e -> !e.isBlank()),
                Optional.ofNullable(status == null ? null : status.getMessage()).filter(m -> !m.isBlank()), container, created);
    }

    @Override
    public void tag(String image, String repository, String tag) {
        docker.tagImageCmd(image, repository, tag).withForce().exec();
    }

    @Override
    public String push(String image, String repository, String tag) {
        tag(image, repository, tag);
        String[] failure = new String[1];
        ResultCallback.Adapter<PushResponseItem> pushed = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    failure[0] = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage() : item.getError();
                }
            }
        };
        var cmd = docker.pushImageCmd(repository).withTag(tag);
        auth.forImage(repository).ifPresent(cmd::withAuthConfig);
        try {
            if (!cmd.exec(pushed).awaitCompletion(PUSH_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
                throw new IllegalStateException("the push of " + repository + ":" + tag + " did not finish in " + PUSH_LIMIT.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing " + repository + ":" + tag, e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0].strip());
        }
        return docker.inspectImageCmd(repository + ":" + tag).exec().getRepoDigests().stream()
                .filter(d -> d.startsWith(repository + "@")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the registry named no digest for " + repository + ":" + tag));
    }

    @Override
    public void untag(String repository, java.util.regex.Pattern ours, Set<String> keep) {
        docker.listImagesCmd().withImageNameFilter(repository).exec().stream()
                .flatMap(i -> i.getRepoTags() == null ? java.util.stream.Stream.<String>empty() : java.util.Arrays.stream(i.getRepoTags()))
                .filter(t -> t.startsWith(repository + ":"))
                .filter(t -> ours.matcher(t.substring(repository.length() + 1)).matches() && !keep.contains(t.substring(repository.length() + 1)))
                .forEach(t -> {
                    try {
                        // forced: the stopped containers of earlier tasks, which Swarm keeps as history, would refuse it; an
                        // image a running container uses is still refused, and one that other names share only loses this tag
                        docker.removeImageCmd(t).withForce(true).exec();
                    } catch (RuntimeException e) {
                        // a running container uses it, or it is gone: a tag left behind costs nothing
                    }
                });
    }

    private static ServiceSpec serviceSpec(ServiceRuntime.Spec spec) {
        SwarmSettings swarm = spec.swarm();
        List<String> env = spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        // the labels go on the service only: its task containers are Swarm's, never ours to stop or remove
        ContainerSpec container = new ContainerSpec().withImage(spec.image()).withEnv(env)
                .withInit(spec.init()).withStopGracePeriod(spec.stopGracePeriod().toNanos());
        spec.command().ifPresent(container::withArgs);
        spec.healthcheck().ifPresent(h -> container.withHealthCheck(new HealthCheck().withTest(h.test()).withInterval(h.interval().toNanos())
                .withTimeout(h.timeout().toNanos()).withRetries(h.retries()).withStartPeriod(h.startPeriod().toNanos())));
        TaskSpec task = new TaskSpec().withContainerSpec(container);
        spec.network().ifPresent(n -> task.withNetworks(List.of(new NetworkAttachmentConfig().withTarget(n))));
        SwarmSettings.Update u = swarm.update();
        UpdateConfig update = new UpdateConfig().withParallelism((long) u.parallelism()).withDelay(u.delay().toNanos())
                .withMonitor(u.monitor().toNanos())
                .withFailureAction(switch (u.failureAction()) {
                    case ROLLBACK -> UpdateFailureAction.ROLLBACK;
                    case PAUSE -> UpdateFailureAction.PAUSE;
                    case CONTINUE -> UpdateFailureAction.CONTINUE;
                })
                .withOrder(u.order(spec.publishesHostPorts()) == SwarmSettings.Order.START_FIRST ? UpdateOrder.START_FIRST : UpdateOrder.STOP_FIRST);
        // a rollback goes back the same way, and watches the restored tasks as briefly
        UpdateConfig rollback = new UpdateConfig().withParallelism((long) u.parallelism()).withMonitor(u.monitor().toNanos())
                .withFailureAction(UpdateFailureAction.PAUSE).withOrder(update.getOrder());
        return new ServiceSpec().withName(spec.name()).withLabels(spec.labels()).withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(swarm.replicas())))
                .withUpdateConfig(update).withRollbackConfig(rollback)
                .withEndpointSpec(new EndpointSpec().withPorts(spec.ports().stream().map(p -> port(p, swarm.ingress())).toList()));
    }

    private static PortConfig port(PortMapping p, boolean ingress) {
        return new PortConfig().withTargetPort(p.containerPort()).withPublishedPort(p.hostPort())
                .withProtocol(p.protocol().equals("udp") ? PortConfigProtocol.UDP : PortConfigProtocol.TCP)
                .withPublishMode(ingress ? PortConfig.PublishMode.ingress : PortConfig.PublishMode.host);
    }
}
