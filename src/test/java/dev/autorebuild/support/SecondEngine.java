package dev.autorebuild.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A second Docker engine beside the machine's own, reached only over TCP with mutual TLS, as a shared
 * build host would be (see facts.md): its own data, exec root, socket and bridge, seeded with
 * busybox:stable. Closing it stops it and removes its bridge. It never touches the first engine's
 * bridge: {@code --bridge none} would delete docker0.
 */
public final class SecondEngine implements AutoCloseable {
    private static final String BRIDGE = "br-dabtest";
    private final Path dir;
    private final int port;
    private final Process dockerd;

    private SecondEngine(Path dir, int port, Process dockerd) {
        this.dir = dir;
        this.port = port;
        this.dockerd = dockerd;
    }

    /** @param tls a folder made by {@link TlsFiles#make}: the engine trusts its CA and presents its server certificate */
    public static SecondEngine start(Path dir, Path tls) throws Exception {
        Command.run(Duration.ofSeconds(30), "ip", "link", "del", BRIDGE); // a crashed run's, if any
        sh("ip link add " + BRIDGE + " type bridge && ip addr add 172.31.250.1/24 dev " + BRIDGE + " && ip link set " + BRIDGE + " up");
        int port = DockerEngine.freePort();
        Files.createDirectories(dir);
        Process dockerd = new ProcessBuilder("dockerd", "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("pid").toString(), "-H", "tcp://127.0.0.1:" + port, "-H", "unix://" + dir.resolve("docker.sock"),
                "--tlsverify", "--tlscacert", tls.resolve("ca.pem").toString(), "--tlscert", tls.resolve("server-cert.pem").toString(),
                "--tlskey", tls.resolve("server-key.pem").toString(), "--bridge", BRIDGE)
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        SecondEngine engine = new SecondEngine(dir, port, dockerd);
        try {
            await().atMost(Duration.ofSeconds(60)).alias("the second engine answers on its socket")
                    .until(() -> Command.run(Duration.ofSeconds(10), "docker", "-H", engine.socket(), "info").exitCode() == 0);
            sh("docker save busybox:stable | docker -H " + engine.socket() + " load -q");
        } catch (Exception | AssertionError e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    public String address() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Its unix socket, for the test's own looks (the daemon under test reaches it over TCP and TLS only). */
    public String socket() {
        return "unix://" + dir.resolve("docker.sock");
    }

    /** The docker CLI against this engine; fails the test if it fails. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker", "-H", socket()));
        command.addAll(List.of(args));
        Command result = Command.run(Duration.ofMinutes(1), command, null);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.output() + result.errors());
        return result.output().strip();
    }

    @Override
    public void close() throws Exception {
        try {
            Command.run(Duration.ofMinutes(1), "sh", "-c", "docker -H " + socket() + " ps -aq | xargs -r docker -H " + socket() + " rm -f");
        } finally {
            dockerd.destroy(); // SIGTERM: the engine unmounts and removes its own network rules
            if (!dockerd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor();
            }
            Command.run(Duration.ofSeconds(30), "ip", "link", "del", BRIDGE);
        }
    }

    private static void sh(String script) throws IOException, InterruptedException {
        Command result = Command.run(Duration.ofMinutes(2), "sh", "-c", script);
        assertEquals(0, result.exitCode(), script + ": " + result.output() + result.errors());
    }
}
