package dev.autorebuild.engine;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.PortMapping;
import dev.autorebuild.engine.ContainerRuntime.Container;

import java.time.Duration;
import java.util.Optional;

/** Waits for a redeploy's new container to be ready: the one answer the swap depends on. */
final class ReadinessWait {
    /** Without a HEALTHCHECK or a configured probe, a container that still runs after this is taken as ready. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /**
     * How long a container's own address may stay silent after its start before we take it as unreachable
     * from here, for the daemon's life: a connection tried while the engine still wires the container's
     * network loses its SYN, or its ARP request when the bridge had no other port, and the kernel asks
     * again only a second later (three times in all). One second, until session 25, let that stall alone
     * pass for unreachable, and a daemon that decided so would never stage a redeploy again.
     */
    private static final Duration WIRING = Duration.ofSeconds(3);
    /** Another process's state, polled: short, as every poll is a redeploy's latency. */
    private static final Duration POLL = Duration.ofMillis(25);

    private final ContainerRuntime runtime;
    /** False once a container's own address could not be reached from this machine: probes use published ports. */
    private volatile boolean containerAddressesReachable = true;

    ReadinessWait(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Empty when ready; else why not. Ready means: its HEALTHCHECK says healthy if the image has one,
     * else the configured probe answers, else it still runs after {@link #SETTLE}. Fails fast when
     * the container exits or reports unhealthy.
     */
    Optional<String> await(String id, DabConfig.Run run) {
        return await(id, run, false);
    }

    /**
     * @param staged the container is on the staging network, its host ports not bound yet: it is proven at
     *               its own address or not at all (when that proves silent, the wait ends at once and
     *               {@link #addressesReachable()} says false)
     */
    Optional<String> await(String id, DabConfig.Run run, boolean staged) {
        DabConfig.Readiness readiness = run.readiness();
        boolean probed = readiness.tcpPort().isPresent() || readiness.httpPath().isPresent();
        long start = System.nanoTime();
        long deadline = start + readiness.timeout().toNanos();
        while (true) {
            Optional<Container> now = runtime.inspect(id);
            if (now.isEmpty()) {
                return Optional.of("the new container vanished");
            }
            Container c = now.get();
            if (!c.running()) {
                return Optional.of("the new container exited" + c.exitCode().map(code -> " with code " + code).orElse(""));
            }
            if (c.health().isPresent()) {
                if (c.health().get().equals("healthy")) {
                    return Optional.empty();
                }
                if (c.health().get().equals("unhealthy")) {
                    return Optional.of("the new container's HEALTHCHECK reports unhealthy");
                }
            } else if (probed ? probe(c, run, Duration.ofNanos(System.nanoTime() - start)) : System.nanoTime() - start >= SETTLE.toNanos() || listens(c, run)) {
                return Optional.empty();
            }
            if (staged && !containerAddressesReachable) {
                return Optional.of("its own address cannot be reached from here");
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("the new container was not ready after " + readiness.timeout().toSeconds() + " s ("
                        + (c.health().isPresent() ? "HEALTHCHECK: " + c.health().get()
                        : readiness.httpPath().map(p -> "GET " + p + " never answered").orElse("its port never accepted a connection")) + ")");
            }
            try {
                Thread.sleep(POLL.toMillis()); // another process's state: nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for the new container");
            }
        }
    }

    /**
     * Without a HEALTHCHECK or a probe: a container whose published TCP port accepts a connection at its own
     * address is ready before {@link #SETTLE} (the host port itself proves nothing: the engine's proxy
     * accepts there before the server listens).
     */
    private boolean listens(Container c, DabConfig.Run run) {
        return c.address().isPresent() && run.ports().stream().map(PortMapping::parse).filter(p -> p.protocol().equals("tcp"))
                .anyMatch(p -> runtime.reach(c.address().get(), p.containerPort()) == ContainerRuntime.Reach.ACCEPTS);
    }

    /** False once a container's own address proved silent from this machine (Docker Desktop, say). */
    boolean addressesReachable() {
        return containerAddressesReachable;
    }

    /**
     * The configured probe, at the container's own address when this machine can reach it: the published
     * port goes through the engine's proxy, which accepts before the container's network is wired and
     * then holds the request for a SYN retry (a second), so a probe there saw most new containers ready a
     * second late. Where container addresses cannot be reached (Docker Desktop), the published port.
     */
    private boolean probe(Container c, DabConfig.Run run, Duration running) {
        DabConfig.Readiness r = run.readiness();
        int containerPort = r.tcpPort().or(r::port)
                .or(() -> run.ports().stream().findFirst().map(p -> PortMapping.parse(p).containerPort())).orElse(80);
        if (c.address().isPresent() && containerAddressesReachable) {
            ContainerRuntime.Reach reach = runtime.reach(c.address().get(), containerPort);
            if (reach == ContainerRuntime.Reach.REFUSED) {
                return false; // its server does not listen yet
            }
            if (reach == ContainerRuntime.Reach.ACCEPTS) {
                return r.tcpPort().isPresent() || runtime.answersHttp(c.address().get(), containerPort, r.httpPath().orElse("/"));
            }
            if (running.compareTo(WIRING) < 0) {
                return false; // a first SYN can be lost while the container's network is wired: ask again, it is not silence yet
            }
            containerAddressesReachable = false; // not from this machine: published ports from now on
        }
        String host = host(c, containerPort);
        int port = c.hostPorts().getOrDefault(containerPort, containerPort);
        return r.tcpPort().isPresent() ? runtime.acceptsConnection(host, port) : runtime.answersHttp(host, port, r.httpPath().orElse("/"));
    }

    /** A published port is reached on the engine's host (127.0.0.1 for a local one), an unpublished one at the container's own address. */
    private String host(Container c, int containerPort) {
        return c.hostPorts().containsKey(containerPort) ? runtime.publishedHost() : c.address().orElse(runtime.publishedHost());
    }
}
