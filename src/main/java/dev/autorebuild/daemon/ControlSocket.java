package dev.autorebuild.daemon;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The channel for commands that need an answer ({@code status}): a Unix-domain socket beside the PID
 * file, mode 0600, and the peer's uid checked on every connection, so only the daemon's own user can
 * ask. One request line in, one text answer out, then the connection closes.
 */
public final class ControlSocket implements AutoCloseable {
    /** sun_path holds 108 bytes with its NUL; longer workspace paths get a socket in the temp folder. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private ControlSocket(Path path, ServerSocketChannel server, Function<String, String> handler) {
        this.path = path;
        this.server = server;
        this.acceptor = new Thread(() -> serve(handler), "dab-control");
        acceptor.setDaemon(true);
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

    /** Binds the socket (replacing one a dead daemon left) and answers requests on a daemon thread. */
    public static ControlSocket serve(DabDir dab, Function<String, String> handler) throws IOException {
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

    /** Sends one request to the workspace's daemon and returns its answer. */
    public static String ask(DabDir dab, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(pathFor(dab)))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            return readAll(channel);
        }
    }

    private void serve(Function<String, String> handler) {
        String self = System.getProperty("user.name");
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
                String answer = peer.user().getName().equals(self)
                        ? handler.apply(readAll(client).strip())
                        : "refused: only " + self + " may control this daemon\n";
                client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
            } catch (ClosedChannelException e) {
                return; // closed by close()
            } catch (IOException | RuntimeException e) {
                // one bad client must not end the control channel
            }
        }
    }

    private static String readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (out.size() > 1 << 20) {
                break; // no answer or request is this big
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
