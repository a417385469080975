package dev.autorebuild.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-node swarm on the test engine, as {@code docker swarm init --advertise-addr 127.0.0.1} makes
 * one. A swarm this class did not start (the machine's own) is used as it is and never left.
 */
public final class LocalSwarm implements AutoCloseable {
    private final boolean ours;

    private LocalSwarm(boolean ours) {
        this.ours = ours;
    }

    public static LocalSwarm join() throws IOException, InterruptedException {
        DockerEngine.client();
        if (state().equals("active")) {
            return new LocalSwarm(false);
        }
        DockerEngine.cli("swarm", "init", "--advertise-addr", "127.0.0.1");
        return new LocalSwarm(true);
    }

    public static String state() throws IOException, InterruptedException {
        return DockerEngine.cli("info", "--format", "{{.Swarm.LocalNodeState}}");
    }

    /** Removes the services a workspace's daemon created (labelled with its path): even a failed test leaves none. */
    public static void removeServicesOf(Path workspace) throws IOException, InterruptedException {
        String ids = DockerEngine.cli("service", "ls", "-q", "--filter", "label=dev.autorebuild.workspace=" + workspace.toAbsolutePath().normalize());
        for (String id : ids.lines().filter(l -> !l.isBlank()).toList()) {
            Command.run(Duration.ofMinutes(1), List.of("docker", "service", "rm", id), null);
        }
    }

    /** Whether this class started the swarm (and so leaves it). */
    public boolean ours() {
        return ours;
    }

    /** Leaves a swarm this class started, and removes the bridge Swarm made for it (leaving keeps it). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (ours) {
            Command.run(Duration.ofMinutes(1), List.of("docker", "swarm", "leave", "--force"), null);
            Command.run(Duration.ofMinutes(1), List.of("docker", "network", "rm", "docker_gwbridge"), null);
        }
    }
}
