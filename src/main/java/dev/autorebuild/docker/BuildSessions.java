package dev.autorebuild.docker;

import dev.autorebuild.core.Threads;
import dev.autorebuild.docker.session.BuildSession;
import dev.autorebuild.docker.session.EngineEndpoint;
import dev.autorebuild.docker.session.TransferMemory;
import dev.autorebuild.engine.ImageBuilder.Request;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Opens a BuildKit session for each BuildKit build, as {@code docker build} does. When one cannot be
 * opened the build still runs, with the context as the request's body (slower: the engine unpacks and
 * hashes the whole context every time), and the build's log says why, once per reason.
 */
final class BuildSessions {
    private final Optional<EngineEndpoint> endpoint;
    private final ExecutorService files;
    private final TransferMemory memory = new TransferMemory();
    private EventLoopGroup loop;
    private String lastRefusal;

    /**
     * @param endpoint where to open sessions; empty: never (the context is always sent with the request)
     * @param files    runs the file transfers
     */
    BuildSessions(Optional<EngineEndpoint> endpoint, ExecutorService files) {
        this.endpoint = endpoint;
        this.files = files;
    }

    Optional<BuildSession> open(Request request, Consumer<String> logLine) {
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        try {
            BuildSession session = BuildSession.open(endpoint.get(), loop(), files, memory, folders(request));
            synchronized (this) {
                lastRefusal = null;
            }
            return Optional.of(session);
        } catch (IOException | RuntimeException e) {
            String why = EngineErrors.message(e);
            boolean news;
            synchronized (this) {
                news = !Objects.equals(why, lastRefusal);
                lastRefusal = why;
            }
            if (news) {
                logLine.accept("(no BuildKit session: " + why + "; the context goes with the request instead, which is slower)");
            }
            return Optional.empty();
        }
    }

    static BuildSession.Folders folders(Request request) {
        return new BuildSession.Folders(request.contextDir(), request.dockerfile(), request.dockerignore(), request.alwaysSent(),
                request.neverSent(), request.secrets());
    }

    /** One thread serves every session's HTTP/2 side: it only moves bytes; reading files happens on {@code files}. */
    private synchronized EventLoopGroup loop() {
        if (loop == null) {
            loop = new DefaultEventLoopGroup(1, Threads.named("dab-session"));
        }
        return loop;
    }
}
