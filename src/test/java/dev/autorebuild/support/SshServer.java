package dev.autorebuild.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real OpenSSH server on 127.0.0.1 (Debian's openssh-server) with keys made for the test, standing in
 * for a build host reached over SSH: a session there runs this machine's docker CLI against this
 * machine's engine. The client side is a folder with an {@code ssh} that runs the real one with the
 * test's own configuration (its key, its known_hosts), put first on a daemon's PATH: nothing under
 * ~/.ssh is read or written, and the sessions have a home of their own, so the machine's ~/.bashrc is not run.
 * Every ssh started that way is logged in {@link #calls()}.
 */
public final class SshServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process sshd;

    private SshServer(Path dir, int port, Process sshd) {
        this.dir = dir;
        this.port = port;
        this.sshd = sshd;
    }

    public static SshServer start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
        // a home of the test's own for the sessions: bash sources ~/.bashrc for every command ssh runs, and the
        // machine's (pyenv init, a rehash under a lock file) made each session slow, or wait 60 s for the lock
        // that a session killed by down() left behind, for every later session of the machine's root
        Files.createDirectories(dir.resolve("home"));
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("client_key"));
        keygen(dir.resolve("stranger_key"));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        int port = DockerEngine.freePort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"), "SetEnv HOME=" + dir.resolve("home"), "MaxSessions 100", "MaxStartups 100", "LogLevel VERBOSE", ""));
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        client(dir, "bin", dir.resolve("client_key"));
        client(dir, "stranger-bin", dir.resolve("stranger_key"));
        SshServer server = new SshServer(dir, port, null);
        server.up();
        return server;
    }

    /** Starts sshd (again, after {@link #down}) on the same port, with the same keys. */
    public synchronized void up() throws IOException {
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile())).start();
        try {
            await().atMost(Duration.ofSeconds(30)).alias("sshd listens").until(() -> accepts(port));
        } catch (RuntimeException | AssertionError e) {
            down();
            throw e;
        }
    }

    /** The build host goes away: sshd and every session it serves (the shared master connection's included) end. */
    public synchronized void down() {
        if (sshd == null) {
            return;
        }
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroyForcibly();
        try {
            sshd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        await().atMost(Duration.ofSeconds(10)).alias("sshd no longer listens").until(() -> !accepts(port));
        sshd = null;
    }

    /** The engine's address as a user writes it. */
    public String address() {
        return "ssh://root@127.0.0.1:" + port;
    }

    /** A daemon's environment: this engine, and the test's ssh first on the PATH. */
    public Map<String, String> environment() {
        return Map.of("DOCKER_HOST", address(), "PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    }

    /** The same, with a key the server does not accept. */
    public Map<String, String> strangersEnvironment() {
        return Map.of("DOCKER_HOST", address(), "PATH", dir.resolve("stranger-bin") + ":" + System.getenv("PATH"));
    }

    /** The argument lists of every ssh run through {@link #environment()}. */
    public String calls() throws IOException {
        Path calls = dir.resolve("calls");
        return Files.exists(calls) ? Files.readString(calls) : "";
    }

    /** What sshd logged: one "Accepted publickey" line per login. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    @Override
    public void close() {
        down();
    }

    private static void client(Path dir, String folder, Path key) throws IOException {
        Path config = dir.resolve(folder + ".config");
        Files.writeString(config, String.join("\n", "Host *", "  IdentityFile " + key, "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + dir.resolve("known_hosts"), "  StrictHostKeyChecking yes", ""));
        Path ssh = dir.resolve(folder).resolve("ssh");
        Files.createDirectories(ssh.getParent());
        Files.writeString(ssh, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("calls") + "\nexec /usr/bin/ssh -F " + config + " \"$@\"\n");
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Command made = Command.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        assertEquals(0, made.exitCode(), made.output() + made.errors());
    }
}
