package dev.autorebuild.daemon;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import dev.autorebuild.core.Threads;

/**
 * The channel for commands that need an answer: a Unix-domain socket beside the PID file, mode 0600,
 * and the peer's uid checked on every connection, so only the daemon's own user can ask. One
 * {@link ControlRequest} line in, one {@link ControlReply} line out, then the connection closes.
 * Requests are served concurrently: a redeploy that waits a minute for readiness does not hold up a
 * {@code status} or a {@code ping}.
 */
public final class ControlSocket implements AutoCloseable {
    /** The daemon's side logs; the -s client never initialises a logger (it costs a scan of every jar for a provider). */
    private static final class ServerLog {
        static final Logger LOG = Logger.getLogger("auto-rebuild");
    }
    /** sun_path holds 108 bytes with its NUL; longer workspace paths get a socket in the temp folder. */
    private static final int MAX_SOCKET_PATH = 107;
    /** Requests answered at once; more wait for a free thread (a user's commands, not a server's load). */
    private static final int CONCURRENT_REQUESTS = 8;
    /** A request is one short line: a client that sends more, or nothing for this long, is dropped. */
    private static final int MAX_LINE = 64 * 1024;
    private static final Duration REQUEST_READ_LIMIT = Duration.ofSeconds(5);

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ExecutorService answering = Threads.boundedPool("dab-control", CONCURRENT_REQUESTS);
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dab-control-timeout"));

    private ControlSocket(Path path, ServerSocketChannel server, Function<ControlRequest, ControlReply> handler) {
        this.path = path;
        this.server = server;
        this.acceptor = Threads.daemon("dab-control-accept").newThread(() -> serve(handler));
    }

    public static Path pathFor(DabDir dab) {
        Path beside = dab.dir().resolve("auto-rebuild.sock");
        if (beside.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return beside;
        }
        String user = System.getProperty("user.name");
        return Path.of(System.getProperty("java.io.tmpdir"), "auto-rebuild-" + user,
                DaemonRegistry.hash(dab.workspace().toString()).substring(0, 16) + ".sock");
    }

    /** Binds the socket (replacing one a dead daemon left) and answers requests on daemon threads. */
    public static ControlSocket serve(DabDir dab, Function<ControlRequest, ControlReply> handler) throws IOException {
        Path path = pathFor(dab);
        Files.createDirectories(path.getParent());
        if (!path.getParent().equals(dab.dir())) {
            Files.setPosixFilePermissions(path.getParent(), PosixFilePermissions.fromString("rwx------"));
        }
        Files.deleteIfExists(path); // only the lock holder gets here, so any socket file is a dead daemon's
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, DabDir.OWNER_ONLY);
        ControlSocket socket = new ControlSocket(path, server, handler);
        socket.acceptor.start();
        return socket;
    }

    /**
     * Sends one request to the workspace's daemon and returns its reply, waiting at most {@code limit}.
     *
     * @throws IOException no daemon listens, it gave no reply in time, or its reply is not in this
     *                     version's format (an older daemon: the message says so)
     */
    public static ControlReply ask(DabDir dab, ControlRequest request, Duration limit) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(pathFor(dab)));
             Timeout timeout = Timeout.closing(channel, limit)) {
            channel.write(ByteBuffer.wrap((request.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            String line;
            try {
                line = readLine(channel, Integer.MAX_VALUE);
            } catch (AsynchronousCloseException e) {
                throw new IOException("no reply to '" + request.command() + "' within " + dev.autorebuild.core.Durations.format(limit));
            }
            try {
                return ControlReply.parse(line);
            } catch (MalformedControlMessage e) {
                throw new IOException("the daemon's reply is not in this version's format (" + e.getMessage()
                        + "); it may be an older version: restart it with 'auto-rebuild -s quit' and start it again");
            }
        }
    }

    private void serve(Function<ControlRequest, ControlReply> handler) {
        String self = System.getProperty("user.name");
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // closed by close()
            } catch (IOException e) {
                ServerLog.LOG.debugf("control socket: accept failed: %s", e);
                continue;
            }
            answering.execute(() -> answer(client, self, handler));
        }
    }

    private void answer(SocketChannel client, String self, Function<ControlRequest, ControlReply> handler) {
        try (client) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            ControlReply reply;
            if (!peer.user().getName().equals(self)) {
                reply = ControlReply.failed("refused: only " + self + " may control this daemon");
            } else {
                reply = handle(readRequest(client), handler);
            }
            client.write(ByteBuffer.wrap((reply.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            ServerLog.LOG.debugf("control socket: a client went away: %s", e); // one bad client must not end the control channel
        }
    }

    private String readRequest(SocketChannel client) throws IOException {
        ScheduledFuture<?> dropSlowClient = timeouts.schedule(() -> closeQuietly(client), REQUEST_READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return readLine(client, MAX_LINE);
        } finally {
            dropSlowClient.cancel(false);
        }
    }

    /** Every failure becomes a reply that says what failed: the client never gets silence and exit 0. */
    private static ControlReply handle(String line, Function<ControlRequest, ControlReply> handler) {
        ControlRequest request;
        try {
            request = ControlRequest.parse(line);
        } catch (MalformedControlMessage e) {
            return ControlReply.failed("error: not a request this daemon reads: " + e.getMessage());
        }
        try {
            return handler.apply(request);
        } catch (RuntimeException e) {
            ServerLog.LOG.errorf(e, "control request '%s' failed", request.command());
            return ControlReply.failed("error: the daemon could not answer '" + request.command() + "': " + e);
        }
    }

    private static String readLine(SocketChannel channel, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (out.size() > limit) {
                throw new IOException("a request longer than " + limit + " bytes");
            }
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing to end a wait: nothing more to do
        }
    }

    /** Closes a client's channel when its wait is over, which ends a blocked read. */
    private record Timeout(Thread closer) implements AutoCloseable {
        static Timeout closing(SocketChannel channel, Duration limit) {
            Thread closer = Threads.daemon("dab-control-wait").newThread(() -> {
                try {
                    Thread.sleep(limit.toMillis()); // a deadline, not a synchronisation: interrupted when the reply came
                    closeQuietly(channel);
                } catch (InterruptedException e) {
                    // the reply came first
                }
            });
            closer.start();
            return new Timeout(closer);
        }

        @Override
        public void close() {
            closer.interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        answering.shutdownNow();
        timeouts.shutdownNow();
        Files.deleteIfExists(path);
    }
}
