package dev.autorebuild.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The control socket on a real Unix-domain socket: concurrent requests, and every failure answered. */
class ControlSocketTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path workspace;
    private ControlSocket socket;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws IOException {
        release.countDown();
        if (socket != null) {
            socket.close();
        }
    }

    private DabDir serve(Function<ControlRequest, ControlReply> handler) throws IOException {
        DabDir dab = DabDir.of(workspace);
        socket = ControlSocket.serve(dab, handler);
        return dab;
    }

    @Test
    void aRequestThatTakesLong_doesNotHoldUpAStatus() throws Exception {
        AtomicBoolean redeploying = new AtomicBoolean();
        DabDir dab = serve(request -> {
            if (request.command().equals("redeploy")) {
                redeploying.set(true);
                try {
                    release.await(); // a readiness wait that lasts until the test lets it end
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ControlReply.ok("redeployed " + String.join(", ", request.components()));
            }
            return ControlReply.ok("status of " + request.command());
        });
        CompletableFuture<ControlReply> redeploy = CompletableFuture.supplyAsync(() -> {
            try {
                return ControlSocket.ask(dab, new ControlRequest("redeploy", java.util.List.of("Web UI")), LIMIT);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(LIMIT).untilTrue(redeploying);

        ControlReply status = ControlSocket.ask(dab, ControlRequest.of("status"), LIMIT);

        assertThat(status.ok()).isTrue();
        assertThat(status.text()).isEqualTo("status of status");
        assertThat(redeploy).as("the redeploy is still waiting").isNotDone();
        release.countDown();
        assertThat(redeploy.get()).extracting(ControlReply::ok, ControlReply::text).containsExactly(true, "redeployed Web UI");
    }

    @Test
    void aHandlerThatFails_answersWithWhatFailed_insteadOfSilence() throws Exception {
        DabDir dab = serve(request -> {
            throw new IllegalStateException("the engine went away");
        });

        ControlReply reply = ControlSocket.ask(dab, ControlRequest.of("status"), LIMIT);

        assertThat(reply.ok()).isFalse();
        assertThat(reply.text()).contains("could not answer 'status'", "the engine went away");
    }

    @Test
    void aLineInTheOldTextProtocol_isAnsweredWithWhatIsWrong() throws Exception {
        DabDir dab = serve(request -> ControlReply.ok("never reached"));

        String answer;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(ControlSocket.pathFor(dab)))) {
            channel.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            answer = new String(readAll(channel), StandardCharsets.UTF_8);
        }

        ControlReply reply = ControlReply.parse(answer.strip());
        assertThat(reply.ok()).isFalse();
        assertThat(reply.text()).contains("not a request this daemon reads");
    }

    @Test
    void aDaemonThatNeverAnswers_endsTheClientsWaitAtItsLimit() throws Exception {
        DabDir dab = serve(request -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ControlReply.ok("too late");
        });

        assertThatThrownBy(() -> ControlSocket.ask(dab, ControlRequest.of("status"), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("no reply to 'status' within 300ms");
    }

    @Test
    void noDaemon_isAnIOException_notAHang() {
        DabDir dab = DabDir.of(workspace);

        assertThatThrownBy(() -> ControlSocket.ask(dab, ControlRequest.of("status"), LIMIT)).isInstanceOf(IOException.class);
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }
}
