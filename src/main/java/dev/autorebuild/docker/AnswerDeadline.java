package dev.autorebuild.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.autorebuild.core.Threads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A bound on how long a request waits for the engine's answer (its status line and headers) that holds
 * on a socket file as on TCP. The HTTP client's own response timeout is a socket read timeout, and the
 * socket of a local engine or of an SSH tunnel is a channel whose reads ignore it: a ping of a hung
 * dockerd, or of an ssh session that never got to {@code docker}, waited for ever, and with it the
 * start and the status.
 * <p>
 * Past the bound the transport is closed, which ends the read that waits and frees its connection, a
 * fresh one takes its place for the next request, and the request fails as a timeout.
 */
final class AnswerDeadline implements DockerHttpClient {
    private final Supplier<DockerHttpClient> transports;
    private final Duration bound;
    private final ExecutorService askers = Executors.newCachedThreadPool(Threads.named("dab-engine-ask"));
    private volatile DockerHttpClient transport;

    AnswerDeadline(Supplier<DockerHttpClient> transports, Duration bound) {
        this.transports = transports;
        this.bound = bound;
        this.transport = transports.get();
    }

    @Override
    public Response execute(Request request) {
        DockerHttpClient asked = transport;
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> asked.execute(request), askers);
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            giveUp(asked, answer);
            throw new UncheckedIOException(new SocketTimeoutException("no answer within " + bound.toMillis() + " ms (timed out)"));
        } catch (InterruptedException e) {
            giveUp(asked, answer);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine's answer", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Ends the wait for good: closing the transport ends the blocked read; an answer that still arrives is closed unread. */
    private void giveUp(DockerHttpClient asked, CompletableFuture<Response> answer) {
        answer.whenComplete((late, failure) -> {
            if (late != null) {
                late.close();
            }
        });
        synchronized (this) {
            if (transport == asked) {
                transport = transports.get();
            }
        }
        closeQuietly(asked);
    }

    @Override
    public void close() throws IOException {
        askers.shutdownNow();
        transport.close();
    }

    private static void closeQuietly(DockerHttpClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // its connections are gone either way
        }
    }
}
