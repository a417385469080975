package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.engine.ContainerRuntime;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** docker-java adapter for redeploys: inspect, run, rename, stop with a short timeout, remove, logs, probes. */
public final class DockerContainers implements ContainerRuntime {
    private static final int PROBE_TIMEOUT_MS = 500;
    /**
     * A container's own address answers within a millisecond where it can be reached at all. Short on
     * purpose: a SYN sent while the engine still wires a new container's network is lost, and the kernel
     * resends it only after a second; a probe that gives up soon and asks again sees the server that much
     * sooner (a 500 ms timeout here held redeploys ~0.5 s longer than the container needed).
     */
    private static final int REACH_TIMEOUT_MS = 50;

    private final DockerClient docker;
    private final DockerClient quick;

    private final SyncShells syncShells;

    private final String publishedHost;

    public DockerContainers(DockerClient docker) {
        this(docker, "127.0.0.1", false);
    }

    /** Whether the engine runs on another machine: its bind sources are paths there. */
    private final boolean remote;

    /**
     * @param publishedHost where the engine's published ports are reached from here (its host, for a remote engine)
     * @param remote        the engine is reached over the network (tcp://), so its file system may not be this machine's
     */
    public DockerContainers(DockerClient docker, String publishedHost, boolean remote) {
        this(docker, docker, publishedHost, remote);
    }

    /**
     * @param quick the same engine through a client whose answers are bounded in time (see
     *              {@link DockerClients#forTarget(EngineTarget, java.time.Duration)}), for the looks that
     *              {@code -s status} and every redeploy start with: an engine that accepts connections and
     *              never answers held them for ever
     */
    public DockerContainers(DockerClient docker, DockerClient quick, String publishedHost, boolean remote) {
        this.syncShells = new SyncShells(docker);
        this.docker = docker;
        this.quick = quick;
        this.publishedHost = publishedHost;
        this.remote = remote;
    }

    @Override
    public String publishedHost() {
        return publishedHost;
    }

    @Override
    public Optional<Container> inspect(String nameOrId) {
        InspectContainerResponse r;
        try {
            r = quick.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        var state = r.getState();
        boolean running = state != null && Boolean.TRUE.equals(state.getRunning());
        Optional<String> health = Optional.ofNullable(state == null ? null : state.getHealth()).map(h -> h.getStatus());
        Optional<Integer> exitCode = Optional.ofNullable(state == null ? null : state.getExitCodeLong()).map(Long::intValue);
        Map<Integer, Integer> hostPorts = new HashMap<>();
        if (r.getNetworkSettings() != null && r.getNetworkSettings().getPorts() != null) {
            r.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
                if (bindings != null && bindings.length > 0 && exposed.getProtocol() == InternetProtocol.TCP) {
                    hostPorts.put(exposed.getPort(), Integer.parseInt(bindings[0].getHostPortSpec()));
                }
            });
        }
        Optional<String> address = Optional.ofNullable(r.getNetworkSettings()).map(n -> n.getNetworks())
                .flatMap(networks -> networks.values().stream().map(n -> n.getIpAddress()).filter(ip -> ip != null && !ip.isBlank()).findFirst());
        Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels();
        String name = r.getName() == null ? nameOrId : r.getName().replaceFirst("^/", "");
        boolean staged = Optional.ofNullable(r.getNetworkSettings()).map(n -> n.getNetworks())
                .filter(networks -> networks.size() == 1 && networks.containsKey(STAGING_NETWORK)).isPresent();
        return Optional.of(new Container(r.getId(), name, labels, r.getImageId(), running, health, exitCode, hostPorts, address, staged));
    }

    @Override
    public String create(Spec spec) {
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (PortMapping p : spec.ports()) {
            ExposedPort port = p.protocol().equals("udp") ? ExposedPort.udp(p.containerPort()) : ExposedPort.tcp(p.containerPort());
            exposed.add(port);
            bindings.bind(port, Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(bindings)
                .withBinds(spec.volumes().stream().filter(v -> !remote || !isBind(v)).map(DockerContainers::bind).toList())
                .withRestartPolicy(restart(spec.restart()))
                .withInit(spec.init());
        spec.network().ifPresent(host::withNetworkMode);
        spec.network().filter(n -> !spec.networkLabels().isEmpty()).ifPresent(n -> ensureNetwork(n, spec.networkLabels()));
        CreateContainerCmd create = docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withExposedPorts(exposed)
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(host);
        spec.command().ifPresent(create::withCmd);
        spec.entrypoint().ifPresent(create::withEntrypoint);
        spec.stopSignal().ifPresent(create::withStopSignal);
        spec.healthcheck().ifPresent(h -> create.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck().withTest(h.test())
                .withInterval(h.interval().toNanos()).withTimeout(h.timeout().toNanos()).withRetries(h.retries())
                .withStartPeriod(h.startPeriod().toNanos())));
        if (!spec.aliases().isEmpty() && spec.network().isPresent()) {
            create.withAliases(spec.aliases()); // the engine applies them on the network the container starts on
        }
        if (remote) {
            // a bind's source is a path on the engine's machine: there, a missing one must be an error,
            // not an empty folder the engine creates (which is what -v binds do, and right on this machine)
            host.withMounts(spec.volumes().stream().filter(DockerContainers::isBind).map(DockerContainers::mount).toList());
        }
        try {
            return create.exec().getId();
        } catch (com.github.dockerjava.api.exception.BadRequestException e) {
            if (remote && String.valueOf(e.getMessage()).contains("bind source path does not exist")) {
                throw new IllegalStateException(e.getMessage().strip() + " on the engine's machine (" + publishedHost
                        + "): a bind source is a path there, not on this machine; create it there, or use a named volume", e);
            }
            throw e;
        }
    }

    private static boolean isBind(String volume) {
        return volume.startsWith("/");
    }

    private static com.github.dockerjava.api.model.Mount mount(String volume) {
        String[] parts = volume.split(":");
        return new com.github.dockerjava.api.model.Mount().withType(com.github.dockerjava.api.model.MountType.BIND)
                .withSource(parts[0]).withTarget(parts[1]).withReadOnly(parts.length > 2 && parts[2].equals("ro"));
    }

    /** The internal network a redeploy's new container starts on while the old one keeps the host ports (see {@link ContainerRuntime#createStaged}). */
    public static final String STAGING_NETWORK = "auto-rebuild-staging";

    @Override
    public boolean canStage() {
        return !remote; // a remote engine's container addresses cannot be reached from here to prove one ready
    }

    @Override
    public String createStaged(Spec spec) {
        ensureStagingNetwork();
        try {
            return create(spec.onNetwork(STAGING_NETWORK));
        } catch (NotFoundException e) { // removed meanwhile (docker network prune): made again, once
            ensureStagingNetwork();
            return create(spec.onNetwork(STAGING_NETWORK));
        }
    }

    @Override
    public void joinOwnNetwork(String id, Spec spec) {
        var connect = docker.connectToNetworkCmd().withContainerId(id).withNetworkId(spec.network().orElse("bridge"));
        if (!spec.aliases().isEmpty()) {
            connect.withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork().withAliases(spec.aliases()));
        }
        connect.exec();
    }

    @Override
    public void leaveStaging(String id) {
        try {
            docker.disconnectFromNetworkCmd().withContainerId(id).withNetworkId(STAGING_NETWORK).exec();
        } catch (NotFoundException e) {
            // gone, or not on it
        }
    }

    @Override
    public boolean leaveDefaultBridge(String id) {
        var networks = Optional.ofNullable(quick.inspectContainerCmd(id).exec().getNetworkSettings()).map(n -> n.getNetworks()).orElse(Map.of());
        if (!networks.keySet().equals(java.util.Set.of("bridge"))) {
            return false;
        }
        docker.disconnectFromNetworkCmd().withContainerId(id).withNetworkId("bridge").exec();
        return true;
    }

    @Override
    public void rejoinDefaultBridge(String id) {
        docker.connectToNetworkCmd().withContainerId(id).withNetworkId("bridge").exec();
    }

    /** Internal: no route out and no host port; shared by every workspace on this engine, and labelled as ours. */
    private void ensureStagingNetwork() {
        boolean exists = docker.listNetworksCmd().withNameFilter(STAGING_NETWORK).exec().stream().anyMatch(n -> STAGING_NETWORK.equals(n.getName()));
        if (!exists) {
            try {
                docker.createNetworkCmd().withName(STAGING_NETWORK).withDriver("bridge").withInternal(true).withCheckDuplicate(true)
                        .withLabels(Map.of("dev.autorebuild.staging", "true")).exec();
            } catch (com.github.dockerjava.api.exception.ConflictException e) {
                // made meanwhile by another workspace's daemon
            }
        }
    }

    /** Creates a user network as Compose would (a bridge with its labels) when none of that name exists yet. */
    private void ensureNetwork(String name, Map<String, String> labels) {
        boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> name.equals(n.getName()));
        if (!exists) {
            try {
                docker.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).withCheckDuplicate(true).exec();
            } catch (com.github.dockerjava.api.exception.ConflictException e) {
                // made meanwhile by Compose or another redeploy: the one that exists is the one to join
            }
        }
    }

    @Override
    public void copyInto(String id, Map<String, java.nio.file.Path> files) {
        syncShells.copyInto(id, files);
    }

    @Override
    public ExecResult deleteIn(String id, List<String> paths, Duration limit) {
        return syncShells.delete(id, paths).orElseGet(() -> ContainerRuntime.super.deleteIn(id, paths, limit));
    }

    @Override
    public void prepareCopies(String id) {
        syncShells.prepare(id);
    }

    @Override
    public ExecResult exec(String id, List<String> command, Duration limit) {
        return ContainerFiles.exec(docker, id, command, limit);
    }

    @Override
    public void restart(String id, Duration timeout) {
        ContainerFiles.restart(docker, id, timeout);
    }

    @Override
    public List<Container> withLabels(Map<String, String> labels) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(c -> inspect(c.getId()))
                .flatMap(Optional::stream)
                .filter(c -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(c.labels().get(e.getKey())))) // the engine's filter, checked
                .toList();
    }

    private static Bind bind(String volume) {
        String[] parts = volume.split(":");
        AccessMode mode = parts.length > 2 && parts[2].equals("ro") ? AccessMode.ro : AccessMode.rw;
        return new Bind(parts[0], new Volume(parts[1]), mode);
    }

    private static RestartPolicy restart(String policy) {
        return switch (policy) {
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> RestartPolicy.onFailureRestart(0);
            default -> RestartPolicy.noRestart();
        };
    }

    @Override
    public void rename(String id, String newName) {
        docker.renameContainerCmd(id).withName(newName).exec();
    }

    @Override
    public void stop(String id, Duration timeout) {
        try {
            docker.stopContainerCmd(id).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped, or gone
        }
    }

    @Override
    public void start(String id) {
        try {
            docker.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // already running
        }
    }

    @Override
    public void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public List<String> logTail(String id, int lines) {
        StringBuilder out = new StringBuilder();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of("(its log could not be read: " + e.getMessage() + ")");
        }
        return out.toString().lines().toList();
    }

    @Override
    public boolean acceptsConnection(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Reach reach(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), REACH_TIMEOUT_MS);
            return Reach.ACCEPTS;
        } catch (java.net.ConnectException e) {
            return Reach.REFUSED; // the host answered that nothing listens there
        } catch (IOException e) {
            return Reach.UNREACHABLE; // a timeout or no route: nothing answered at all
        }
    }

    @Override
    public boolean answersHttp(String host, int port, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host + ":" + port + path).toURL().openConnection();
            connection.setConnectTimeout(PROBE_TIMEOUT_MS);
            connection.setReadTimeout(PROBE_TIMEOUT_MS * 2);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status >= 200 && status < 400;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
