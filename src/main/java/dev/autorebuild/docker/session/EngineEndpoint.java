package dev.autorebuild.docker.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Where the engine listens and the TLS it wants, for the one connection docker-java cannot make for
 * us: a BuildKit session must be upgraded to {@code h2c}, and docker-java's hijacking always asks for
 * {@code tcp}, which the engine refuses ("protocol tcp not supported").
 *
 * @param host the engine's address as docker-java resolved it ({@code unix:///var/run/docker.sock},
 *             {@code tcp://127.0.0.1:2376})
 * @param tls  the client's TLS context, when the engine wants TLS (built on first use)
 */
public record EngineEndpoint(URI host, Optional<Supplier<SSLContext>> tls) {

    /** A connection made, not yet upgraded. */
    EngineConnection connect(Duration timeout) throws IOException {
        String scheme = String.valueOf(host.getScheme());
        switch (scheme) {
            case "unix" -> {
                SocketChannel channel = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(host.getPath()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return EngineConnection.over(channel);
            }
            case "tcp", "http", "https" -> {
                int port = host.getPort() > 0 ? host.getPort() : tls.isPresent() ? 2376 : 2375;
                Socket socket;
                if (tls.isPresent()) {
                    SSLSocket secure = (SSLSocket) tls.get().get().getSocketFactory().createSocket();
                    secure.connect(new InetSocketAddress(host.getHost(), port), (int) timeout.toMillis());
                    secure.startHandshake();
                    socket = secure;
                } else {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(host.getHost(), port), (int) timeout.toMillis());
                }
                socket.setTcpNoDelay(true);
                return EngineConnection.over(socket);
            }
            default -> throw new IOException("a BuildKit session cannot be opened to " + host + " (only unix:// and tcp:// engines)");
        }
    }
}
