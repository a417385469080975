package dev.autorebuild.docker;

import dev.autorebuild.core.Threads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine reached over SSH as the Docker CLI reaches it: every connection is {@code ssh … docker system
 * dial-stdio} on the remote machine, which joins its stdin and stdout to the engine's socket there. The
 * tunnel offers those connections on a private unix socket, so the engine client, BuildKit sessions and
 * attached streams all speak the API as to a local engine.
 * <p>
 * ssh runs in batch mode (a daemon has no terminal to ask for a password or a host key on), and its
 * connections share one master connection ({@code ControlMaster}), so a new API connection costs a
 * session, not a handshake. ssh's own words about a failure (a refused key, an unknown host, no docker
 * there) are kept for the message that reports it.
 */
public final class SshTunnel implements AutoCloseable {
    private static final int PUMP_BUFFER = 64 * 1024;
    private static final int SPARES = 2;
    private final URI target;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<Process> sessions = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean refilling = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.BlockingQueue<Session> spares = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile String lastError;
    private volatile boolean closed;

    private SshTunnel(URI target, Path dir, ServerSocketChannel server) {
        this.target = target;
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.server = server;
    }

    /** Opens the local socket for {@code ssh://[user@]host[:port]}; nothing connects until a client does. */
    public static SshTunnel open(String sshUrl) throws IOException {
        URI target = URI.create(sshUrl);
        if (target.getHost() == null) {
            throw new IOException("cannot read the SSH address " + sshUrl + " (write ssh://user@host or ssh://user@host:port)");
        }
        Path dir = Files.createTempDirectory("dab-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("docker.sock")));
        SshTunnel tunnel = new SshTunnel(target, dir, server);
        Threads.daemon("dab-ssh-accept").newThread(tunnel::acceptLoop).start();
        return tunnel;
    }

    /** The engine address the client uses: the private socket. */
    public String localHost() {
        return "unix://" + socket;
    }

    /** What ssh last said on its error stream (a refused key, an unknown host, a missing docker), if anything. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** The ssh command for one connection: {@code ssh [options] [-p PORT] [-l USER] -- HOST docker system dial-stdio}. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30",
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + dir.resolve("master"), "-o", "ControlPersist=60",
                "-o", "ServerAliveInterval=30"));
        if (target.getPort() > 0) {
            command.addAll(List.of("-p", Integer.toString(target.getPort())));
        }
        if (target.getUserInfo() != null) {
            command.addAll(List.of("-l", target.getUserInfo()));
        }
        command.addAll(List.of("--", host(), "docker", "system", "dial-stdio"));
        return command;
    }

    /** The host as ssh takes it: an IPv6 literal without the brackets a URI needs ({@code ssh://me@[::1]}). */
    private String host() {
        String host = target.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                join(client);
            } catch (IOException e) {
                lastError = "cannot run ssh: " + e.getMessage();
                closeQuietly(client);
            }
        }
    }

    /** A running {@code ssh … dial-stdio} and the thread that reads what it says on its error stream. */
    private record Session(Process ssh, Thread errors) {}

    /**
     * A session for a new connection: a spare one, started ahead and already joined to the engine, when
     * there is one. Each session costs a process here and a {@code docker} process there, about 0.1 s to
     * start (bench/ remote: a build opens several connections); spares take that off the save's path.
     */
    private Session session() throws IOException {
        Session spare;
        while ((spare = spares.poll()) != null) {
            if (spare.ssh().isAlive()) {
                return spare;
            }
        }
        return startSession();
    }

    private Session startSession() throws IOException {
        Process ssh = new ProcessBuilder(command()).start();
        sessions.add(ssh);
        Thread errors = Threads.daemon("dab-ssh-err").newThread(() -> {
            try (var lines = ssh.errorReader(StandardCharsets.UTF_8)) {
                lines.lines().filter(line -> !line.isBlank()).forEach(line -> lastError = line.strip());
            } catch (IOException | java.io.UncheckedIOException e) {
                // ended
            }
        });
        errors.start();
        return new Session(ssh, errors);
    }

    /** Tops the spares up again, off the connection's path; only once a session has worked, so a bad login is not repeated. */
    private void refill() {
        if (!refilling.compareAndSet(false, true)) {
            return; // one at a time tops up to SPARES
        }
        Threads.daemon("dab-ssh-spare").newThread(() -> {
            try {
                while (!closed && spares.size() < SPARES) {
                    Session spare = startSession();
                    if (closed) {
                        spare.ssh().destroy();
                    } else {
                        spares.add(spare);
                    }
                }
            } catch (IOException e) {
                // the next connection starts its own session and reports what goes wrong
            } finally {
                refilling.set(false);
            }
        }).start();
    }

    /** One API connection: a {@code dial-stdio} session, its bytes pumped both ways until either side ends. */
    private void join(SocketChannel client) throws IOException {
        Session session = session();
        Process ssh = session.ssh();
        Thread errors = session.errors();
        Threads.daemon("dab-ssh-up").newThread(() -> {
            try (OutputStream toSsh = ssh.getOutputStream()) {
                // the channel itself, not Channels.newInputStream: its streams hold the channel's blocking lock
                // while they wait, so a read waiting for the client would stop the other pump's writes for good
                ByteBuffer buffer = ByteBuffer.allocate(PUMP_BUFFER);
                while (client.read(buffer) >= 0) {
                    toSsh.write(buffer.array(), 0, buffer.position());
                    toSsh.flush();
                    buffer.clear();
                }
            } catch (IOException e) {
                // either side went away: the other pump ends the session
            }
        }).start();
        Threads.daemon("dab-ssh-down").newThread(() -> {
            boolean answered = false;
            try (InputStream fromSsh = ssh.getInputStream()) {
                byte[] buffer = new byte[PUMP_BUFFER];
                for (int read; (read = fromSsh.read(buffer)) >= 0; ) {
                    if (!answered) {
                        answered = true;
                        lastError = null; // what ssh said before is no longer why the engine does not answer
                        refill(); // this login works: have the next connections' sessions ready
                    }
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                    while (chunk.hasRemaining()) {
                        client.write(chunk);
                    }
                }
            } catch (IOException e) {
                // the client closed its end
            } finally {
                try {
                    // ssh's last words (why it ended) before the client sees the connection close; bounded, as a
                    // master connection that ssh left running keeps the error stream open
                    ssh.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
                    errors.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closeQuietly(client);
                ssh.destroy();
                sessions.remove(ssh);
            }
        }).start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        spares.clear();
        sessions.forEach(Process::destroy);
        try {
            // the shared master connection ends with the tunnel, not 60 s later
            List<String> exit = new ArrayList<>(command().subList(0, command().indexOf("--")));
            exit.addAll(List.of("-O", "exit", host()));
            Process stop = new ProcessBuilder(exit).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            stop.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            // no ssh to ask: the master ends by itself once idle
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir.resolve("master"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover empty folder in the temporary directory
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
