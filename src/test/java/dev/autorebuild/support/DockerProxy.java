package dev.autorebuild.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP door to the real Docker engine (its Unix socket) that a test can close and open again: the
 * engine "going down" and "coming back" for the client, without stopping the engine other tests use.
 * Closing drops every connection, as an engine restart does.
 */
public final class DockerProxy implements AutoCloseable {
    private static final UnixDomainSocketAddress ENGINE = UnixDomainSocketAddress.of("/var/run/docker.sock");

    private final int port;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocketChannel server;

    public DockerProxy() throws IOException {
        this.port = DockerEngine.freePort();
    }

    public String host() {
        return "tcp://127.0.0.1:" + port;
    }

    public synchronized void up() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", port));
        server = channel;
        Thread acceptor = new Thread(() -> accept(channel), "docker-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Refuses new connections and cuts the open ones. */
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (SocketChannel channel : open) {
            channel.close();
        }
        open.clear();
    }

    private void accept(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            try {
                SocketChannel client = channel.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(ENGINE);
                synchronized (this) { // with down(): a connection accepted as the door closed is cut too, never left open
                    if (server != channel) {
                        client.close();
                        engine.close();
                        return;
                    }
                    open.add(client);
                    open.add(engine);
                }
                pump(client, engine, true);
                pump(engine, client, false);
            } catch (IOException e) {
                return; // closed by down()
            }
        }
    }

    /** Makes the door answer a BuildKit build request ({@code version=2}) as an engine without BuildKit would: HTTP 400. */
    public void refuseBuildKit() {
        refuseBuildKit = true;
    }

    /** Makes the door refuse BuildKit sessions ({@code POST /session}) as an engine that cannot hold one would: HTTP 400. */
    public void refuseSessions() {
        refuseSessions = true;
    }

    /** How many BuildKit build requests were refused. */
    public int buildKitRefusals() {
        return refusals.get();
    }

    private volatile boolean refuseBuildKit;
    private volatile boolean refuseSessions;
    private static final java.util.regex.Pattern SESSION = java.util.regex.Pattern.compile("^POST /(v[0-9.]+/)?session ");
    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.regex.Pattern BUILDKIT_BUILD = java.util.regex.Pattern.compile("POST /(v[0-9.]+/)?build\\?(.*&)?version=2");
    private static final String REFUSAL_BODY = "{\"message\":\"buildkit not supported by daemon\"}";

    private boolean refused(ByteBuffer request, SocketChannel client) throws IOException {
        String head = java.nio.charset.StandardCharsets.ISO_8859_1.decode(request.duplicate()).toString();
        String body;
        if (refuseBuildKit && BUILDKIT_BUILD.matcher(head).find()) {
            refusals.incrementAndGet();
            body = REFUSAL_BODY;
        } else if (refuseSessions && SESSION.matcher(head).find()) {
            body = "{\"message\":\"sessions are not supported here\"}";
        } else {
            return false;
        }
        String answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        client.write(java.nio.charset.StandardCharsets.ISO_8859_1.encode(answer));
        return true;
    }

    private void pump(SocketChannel from, SocketChannel to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            boolean discarding = false; // a refused request's body: read and dropped until the client hangs up
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    if (fromClient && (discarding || refused(buffer, from))) {
                        discarding = true;
                        buffer.clear();
                        continue;
                    }
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side closed: the other follows
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "docker-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
