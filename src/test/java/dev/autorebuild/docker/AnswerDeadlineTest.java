package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A bounded client on a socket file (the local engine's, an SSH tunnel's): a read there ignores the
 * HTTP client's read timeout, so before the deadline a ping of an engine that took the connection and
 * never answered waited for ever. The engine here is a real unix socket that says nothing on the
 * connections it is told to keep silent and answers a ping on the others.
 */
class AnswerDeadlineTest {
    private static final Duration BOUND = Duration.ofMillis(800);
    private static final Duration FAR_MORE_THAN_THE_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aPingOfASocketThatNeverAnswers_failsAsATimeout_andClosesTheConnectionItWaitedOn() throws Exception {
        try (SocketEngine engine = SocketEngine.start(dir.resolve("engine.sock"), Integer.MAX_VALUE);
             DockerClient client = DockerClients.forHost(engine.host(), BOUND)) {
            assertTimeoutPreemptively(FAR_MORE_THAN_THE_BOUND, () -> assertThatThrownBy(() -> client.pingCmd().exec())
                    .satisfies(failure -> assertThat(EngineProblems.what(failure)).isEqualTo("no answer (timed out)")));
            await().atMost(FAR_MORE_THAN_THE_BOUND).alias("the engine sees the connection closed: no read is left waiting on it")
                    .until(() -> engine.closedByClient.get() == 1);
        }
    }

    @Test
    void afterATimeout_theNextRequestGoesOnAFreshConnection_andIsAnswered() throws Exception {
        try (SocketEngine engine = SocketEngine.start(dir.resolve("engine.sock"), 1);
             DockerClient client = DockerClients.forHost(engine.host(), BOUND)) {
            assertTimeoutPreemptively(FAR_MORE_THAN_THE_BOUND, () -> assertThatThrownBy(() -> client.pingCmd().exec()));
            assertTimeoutPreemptively(FAR_MORE_THAN_THE_BOUND, () -> client.pingCmd().exec());
            assertThat(engine.accepted.get()).as("a second connection").isEqualTo(2);
        }
    }

    /** A unix socket whose first {@code silentConnections} connections are taken and never answered; later ones get "200 OK" to a ping. */
    private static final class SocketEngine implements AutoCloseable {
        private final Path socket;
        private final ServerSocketChannel server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger closedByClient = new AtomicInteger();
        private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

        private SocketEngine(Path socket, ServerSocketChannel server) {
            this.socket = socket;
            this.server = server;
        }

        static SocketEngine start(Path socket, int silentConnections) throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketEngine engine = new SocketEngine(socket, server);
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        SocketChannel connection = server.accept();
                        engine.held.add(connection);
                        boolean silent = engine.accepted.incrementAndGet() <= silentConnections;
                        Thread serving = new Thread(() -> engine.serve(connection, silent));
                        serving.setDaemon(true);
                        serving.start();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            return engine;
        }

        String host() {
            return "unix://" + socket;
        }

        private void serve(SocketChannel connection, boolean silent) {
            ByteBuffer in = ByteBuffer.allocate(8192);
            try {
                while (connection.read(in) >= 0) {
                    String request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    if (!silent && request.contains("\r\n\r\n")) {
                        connection.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"
                                .getBytes(StandardCharsets.US_ASCII)));
                        in.clear();
                    }
                }
                closedByClient.incrementAndGet();
            } catch (IOException e) {
                closedByClient.incrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel connection : held) {
                connection.close();
            }
        }
    }
}
