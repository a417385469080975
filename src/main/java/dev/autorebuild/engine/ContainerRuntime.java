package dev.autorebuild.engine;

import dev.autorebuild.core.config.DabConfig;

import dev.autorebuild.core.deploy.PortMapping;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's view of the container engine, for redeploys; the Docker adapter implements it. */
public interface ContainerRuntime {

    /**
     * @param health    the HEALTHCHECK status (starting, healthy, unhealthy), empty when the image has none
     * @param hostPorts container TCP port → the 127.0.0.1/0.0.0.0 port it is published on
     * @param address   the container's address on its network, for probing unpublished ports
     * @param staged    on the staging network alone: a redeploy stopped before the container joined its own
     *                  network (the daemon ended), so it serves nobody and the redeploy is still to be done
     */
    record Container(String id, String name, Map<String, String> labels, String imageId, boolean running,
                     Optional<String> health, Optional<Integer> exitCode, Map<Integer, Integer> hostPorts,
                     Optional<String> address, boolean staged) {
        public Container(String id, String name, Map<String, String> labels, String imageId, boolean running, Optional<String> health,
                         Optional<Integer> exitCode, Map<Integer, Integer> hostPorts, Optional<String> address) {
            this(id, name, labels, imageId, running, health, exitCode, hostPorts, address, false);
        }
    }

    /**
     * @param volumes  {@code source:/path[:ro]}, the source an absolute host path or a volume name
     * @param command  replaces the image's CMD when present
     */
    /**
     * @param init          the engine's init as PID 1 ({@code docker run --init})
     * @param aliases       the container's other names on its network (a Compose service's name, which its peers call it by)
     * @param networkLabels when not empty, the network is created with these labels if it does not exist (as Compose does)
     */
    record Spec(String name, String image, Map<String, String> labels, List<PortMapping> ports, Map<String, String> env,
                Optional<List<String>> command, List<String> volumes, Optional<String> network, String restart, boolean init,
                Optional<List<String>> entrypoint, Optional<String> stopSignal, Optional<DabConfig.Healthcheck> healthcheck,
                List<String> aliases, Map<String, String> networkLabels) {
        public Spec(String name, String image, Map<String, String> labels, List<PortMapping> ports, Map<String, String> env,
                    Optional<List<String>> command, List<String> volumes, Optional<String> network, String restart, boolean init) {
            this(name, image, labels, ports, env, command, volumes, network, restart, init, Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of(), Map.of());
        }

        /** The same container on another network, without the aliases and labels its own network takes. */
        public Spec onNetwork(String other) {
            return new Spec(name, image, labels, ports, env, command, volumes, Optional.of(other), restart, init, entrypoint, stopSignal, healthcheck,
                    List.of(), Map.of());
        }

        /** On the engine's default bridge: no network named, or {@code bridge}. */
        public boolean onDefaultBridge() {
            return network.isEmpty() || network.get().equals("bridge");
        }
    }

    /**
     * Whether a redeploy may start a new container on an internal staging network while the old one keeps
     * its host ports and serves (see {@link Redeployer}): only where this machine can reach a container's
     * own address, to prove it ready there.
     */
    default boolean canStage() {
        return false;
    }

    /**
     * Creates a container on the staging network, an internal one: the engine binds a container's host
     * ports on the first network it joins that is not internal, so none is bound yet, and it may start
     * while another container holds them.
     */
    default String createStaged(Spec spec) {
        throw new UnsupportedOperationException("this engine adapter does not stage containers");
    }

    /**
     * Connects a staged, running container to its own network: the engine binds its host ports now, and
     * its link is up before its port proxy listens (a container started on that network gets the proxy
     * first, and a client arriving in between waits a SYN retry, a second).
     */
    default void joinOwnNetwork(String id, Spec spec) {
        throw new UnsupportedOperationException("this engine adapter does not stage containers");
    }

    /** Disconnects a container that joined its own network from the staging network. */
    default void leaveStaging(String id) {}

    /**
     * Frees a running container's host ports at once by taking it off the default bridge, where they are
     * bound; it keeps running, to be stopped afterwards. False, and nothing done, unless the default bridge
     * is its only network (then it must be stopped to free them).
     */
    default boolean leaveDefaultBridge(String id) {
        return false;
    }

    /** Puts a container back on the default bridge, its host ports bound again: undoes {@link #leaveDefaultBridge}. */
    default void rejoinDefaultBridge(String id) {
        throw new UnsupportedOperationException("this engine adapter does not stage containers");
    }

    /**
     * Copies files into a running container: container path → the file on this machine; folders are
     * created, each file keeps its mode.
     */
    void copyInto(String id, Map<String, Path> files);

    /** Removes files and folders in a running container, as {@code rm -rf} does; how it went. */
    default ExecResult deleteIn(String id, List<String> paths, Duration limit) {
        List<String> rm = new java.util.ArrayList<>(List.of("rm", "-rf", "--"));
        rm.addAll(paths);
        return exec(id, rm, limit);
    }

    /**
     * Gets ready, in the background, to copy files into a container that was just started: its first
     * live sync is then as quick as the next ones. Best effort: a copy works without it.
     */
    default void prepareCopies(String id) {}

    /** What a command run in a container printed (stdout and stderr together, the last lines) and how it ended. */
    record ExecResult(int exitCode, String output) {}

    /** Runs a command in a running container and waits for it (at most {@code limit}). */
    ExecResult exec(String id, List<String> command, Duration limit);

    /** Restarts a container, giving it {@code timeout} to stop. */
    void restart(String id, Duration timeout);

    /** The containers (running or not) that carry every one of {@code labels}. */
    List<Container> withLabels(Map<String, String> labels);

    Optional<Container> inspect(String nameOrId);

    /** Creates a container without starting it (no port is bound yet); returns its id. */
    String create(Spec spec);

    /** Creates and starts a container; returns its id. A container that cannot start is removed, leaving nothing behind. */
    default String run(Spec spec) {
        String id = create(spec);
        startOrRemove(id);
        return id;
    }

    /** Starts a created container; one the engine cannot start is removed, and the failure thrown. */
    default void startOrRemove(String id) {
        try {
            start(id);
        } catch (RuntimeException e) {
            remove(id);
            throw e;
        }
    }

    void rename(String id, String newName);

    void stop(String id, Duration timeout);

    void start(String id);

    void remove(String id);

    /** The last lines the container printed. */
    List<String> logTail(String id, int lines);

    /** Whether a TCP connection to the address and port succeeds now. */
    boolean acceptsConnection(String host, int port);

    /** Where a published port is reached from here: 127.0.0.1 for a local engine, the engine's own host for a remote one. */
    default String publishedHost() {
        return "127.0.0.1";
    }

    /** How a TCP connection attempt ends: taken, refused at once (nothing listens yet), or no answer at all. */
    enum Reach { ACCEPTS, REFUSED, UNREACHABLE }

    /**
     * Whether {@code host:port} takes a TCP connection now, telling a refusal (the host is there, its
     * server is not listening yet) from silence (the address cannot be reached from here: a container
     * address on Docker Desktop, say).
     */
    default Reach reach(String host, int port) {
        return acceptsConnection(host, port) ? Reach.ACCEPTS : Reach.REFUSED;
    }

    /** Whether GET http://host:port/path answers 2xx or 3xx now. */
    boolean answersHttp(String host, int port, String path);
}
