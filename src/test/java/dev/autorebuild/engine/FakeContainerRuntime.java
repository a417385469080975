package dev.autorebuild.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory container engine behind the {@link ContainerRuntime} port, for the redeploy state
 * machine's unit tests: names are unique as the engine keeps them, and a test can make the next
 * {@code run} fail to start (the adapter leaves nothing behind then, as {@code DockerContainers} does)
 * or start a container that exits at once. The real adapter is proven on the real engine elsewhere.
 */
final class FakeContainerRuntime implements ContainerRuntime {
    private final Map<String, Container> byId = new LinkedHashMap<>();
    private int created;
    /** Thrown by the next new container's start, as the engine refuses a start ("exec: not found", "port is already allocated"). */
    RuntimeException failNextRun;
    /** The next new container's start gives a container that has already exited with this code. */
    Integer nextRunExitsWith;

    /** A container that exists before the test acts, as an earlier redeploy left it. */
    Container existing(String name, Map<String, String> labels, boolean running) {
        return put(new Container("old" + (++created) + "0000000000", name, Map.copyOf(labels), "sha256:image", running, Optional.empty(),
                running ? Optional.empty() : Optional.of(0), Map.of(), Optional.of("172.17.0.2")));
    }

    List<Container> all() {
        return List.copyOf(byId.values());
    }

    @Override
    public void copyInto(String id, Map<String, java.nio.file.Path> files) {
        throw new UnsupportedOperationException("live sync is tested on the real engine");
    }

    /** Where published ports answer: the engine's host. */
    String publishedHost = "127.0.0.1";

    @Override
    public String publishedHost() {
        return publishedHost;
    }

    /** The containers asked to get ready for live sync copies, in order. */
    final List<String> preparedForCopies = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void prepareCopies(String id) {
        preparedForCopies.add(id);
    }

    @Override
    public ExecResult exec(String id, List<String> command, Duration limit) {
        throw new UnsupportedOperationException("live sync is tested on the real engine");
    }

    @Override
    public void restart(String id, Duration timeout) {
        throw new UnsupportedOperationException("live sync is tested on the real engine");
    }

    @Override
    public synchronized List<Container> withLabels(Map<String, String> labels) {
        return byId.values().stream().filter(c -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(c.labels().get(e.getKey())))).toList();
    }

    @Override
    public synchronized Optional<Container> inspect(String nameOrId) {
        Container byKey = byId.get(nameOrId);
        return byKey != null ? Optional.of(byKey) : byId.values().stream().filter(c -> c.name().equals(nameOrId)).findFirst();
    }

    @Override
    public synchronized String create(Spec spec) {
        requireFree(spec.name());
        Map<Integer, Integer> ports = new HashMap<>();
        spec.ports().forEach(p -> ports.put(p.containerPort(), p.hostPort()));
        Container c = put(new Container("new" + (++created) + "0000000000", spec.name(), Map.copyOf(spec.labels()), spec.image(), false,
                Optional.empty(), Optional.empty(), ports, Optional.of("172.17.0.3")));
        createdNotStarted.add(c.id());
        return c.id();
    }

    /** Containers created and never started: a start of one of them is the one a test may make fail or exit. */
    private final java.util.Set<String> createdNotStarted = new java.util.HashSet<>();

    /** Thrown by the next {@code rename}, as an engine that refuses one. */
    RuntimeException failNextRename;

    @Override
    public synchronized void rename(String id, String newName) {
        if (failNextRename != null) {
            RuntimeException failure = failNextRename;
            failNextRename = null;
            throw failure;
        }
        requireFree(newName);
        Container c = get(id);
        put(new Container(c.id(), newName, c.labels(), c.imageId(), c.running(), c.health(), c.exitCode(), c.hostPorts(), c.address()));
    }

    /** Thrown by the next {@code stop}, as an engine that cannot stop a container ("permission denied" from AppArmor, say). */
    RuntimeException failNextStop;

    @Override
    public synchronized void stop(String id, Duration timeout) {
        if (failNextStop != null) {
            RuntimeException failure = failNextStop;
            failNextStop = null;
            throw failure;
        }
        Container c = get(id);
        put(new Container(c.id(), c.name(), c.labels(), c.imageId(), false, c.health(), Optional.of(137), c.hostPorts(), c.address()));
    }

    @Override
    public synchronized void start(String id) {
        Container c = get(id);
        if (createdNotStarted.remove(id)) { // a new container's first start
            if (failNextRun != null) {
                RuntimeException failure = failNextRun;
                failNextRun = null;
                throw failure;
            }
            if (nextRunExitsWith != null) {
                put(new Container(c.id(), c.name(), c.labels(), c.imageId(), false, c.health(), Optional.of(nextRunExitsWith), c.hostPorts(), c.address()));
                nextRunExitsWith = null;
                return;
            }
        }
        put(new Container(c.id(), c.name(), c.labels(), c.imageId(), true, c.health(), Optional.empty(), c.hostPorts(), c.address()));
    }

    @Override
    public synchronized void remove(String id) {
        byId.remove(id);
    }

    @Override
    public List<String> logTail(String id, int lines) {
        return List.of("exec /nonexistent: no such file or directory");
    }

    /** What a connection to a container's own address meets, in turn (the last one stays); empty: it accepts. */
    final java.util.Deque<Reach> containerAddressReach = new java.util.ArrayDeque<>();
    /** Every probe made, as "host:port" or "GET host:port/path", in order. */
    final List<String> probes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean acceptsConnection(String host, int port) {
        probes.add(host + ":" + port);
        return true;
    }

    @Override
    public Reach reach(String host, int port) {
        probes.add(host + ":" + port);
        if (containerAddressReach.isEmpty()) {
            return Reach.ACCEPTS;
        }
        return containerAddressReach.size() > 1 ? containerAddressReach.poll() : containerAddressReach.peek();
    }

    @Override
    public boolean answersHttp(String host, int port, String path) {
        probes.add("GET " + host + ":" + port + path);
        return true;
    }

    private Container get(String id) {
        Container c = byId.get(id);
        if (c == null) {
            throw new IllegalStateException("No such container: " + id);
        }
        return c;
    }

    private void requireFree(String name) {
        if (byId.values().stream().anyMatch(c -> c.name().equals(name))) {
            throw new IllegalStateException("Conflict. The container name \"/" + name + "\" is already in use");
        }
    }

    private Container put(Container c) {
        byId.put(c.id(), c);
        return c;
    }
}
