package dev.autorebuild.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.autorebuild.core.build.DockerfileChecks;
import dev.autorebuild.docker.session.BuildSession;
import dev.autorebuild.engine.ImageBuilder.Built;
import dev.autorebuild.engine.ImageBuilder.Failed;
import dev.autorebuild.engine.ImageBuilder.Outcome;
import dev.autorebuild.engine.ImageBuilder.Request;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A build on the engine's BuildKit, through the Engine API ({@code POST /build?version=2}) on
 * docker-java's own HTTP transport, without a client session: the context tar is the request body
 * (BuildKit's "upload" context), our labels are the {@code labels} parameter (image metadata, no
 * steps), and the answer is a stream of JSON messages whose {@code moby.buildkit.trace} entries carry
 * BuildKit's progress as protobuf. Closing the request cancels the build on the engine.
 */
final class BuildKitBuild {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACE = "moby.buildkit.trace";
    private static final String IMAGE_ID = "moby.image.id";
    /** The Dockerfile is read for the checks BuildKit cannot explain well; a larger one is left to the engine. */
    private static final long CHECKED_DOCKERFILE_BYTES = 1 << 20;

    private final DockerHttpClient http;
    private final ExecutorService io;
    private final BuildSessions sessions;

    BuildKitBuild(DockerHttpClient http, ExecutorService io, BuildSessions sessions) {
        this.http = http;
        this.io = io;
        this.sessions = sessions;
    }

    Outcome build(Request request, boolean noCache, Consumer<String> logLine) {
        Optional<String> dockerfile = readDockerfile(request);
        Optional<Failed> needsSession = dockerfile.flatMap(text -> needsSession(request, text));
        if (needsSession.isPresent()) {
            return needsSession.get();
        }
        BuildKitProgress progress = new BuildKitProgress(line -> logLine.accept(TerminalEscapes.strip(line)));
        AtomicReference<DockerHttpClient.Response> open = new AtomicReference<>();
        Optional<BuildSession> session = sessions.open(request, logLine);
        try (ContextStream context = session.isPresent() ? null : ContextStream.open(request, io)) {
            Future<Outcome> exchange = io.submit(() -> exchange(request, noCache, session, context, progress, open, logLine));
            try {
                Outcome outcome = exchange.get();
                if (outcome instanceof Failed failed) {
                    return new Failed(failed.step(), explain(failed.message(), request, dockerfile), failed.connectionLost());
                }
                return outcome;
            } catch (InterruptedException e) {
                // an immediate stop, or a newer build of the component: hanging up cancels the build on the engine
                Optional.ofNullable(open.get()).ifPresent(DockerHttpClient.Response::close);
                exchange.cancel(true);
                Thread.currentThread().interrupt();
                return new Failed(progress.currentStep(), DockerImageBuilder.CANCELLED);
            } catch (ExecutionException e) {
                // an I/O failure while the engine streamed its answer: the connection broke, the build did not say it failed
                return new Failed(progress.failedStep(), EngineErrors.message(e.getCause()), e.getCause() instanceof IOException);
            }
        } catch (IOException e) {
            return new Failed(Optional.empty(), EngineErrors.message(e));
        } finally {
            session.ifPresent(BuildSession::close);
        }
    }

    /**
     * @param session the session the engine fetches the context from, or empty to send it as the request's body
     * @param context the context tar, when there is no session
     */
    private Outcome exchange(Request request, boolean noCache, Optional<BuildSession> session, ContextStream context,
                             BuildKitProgress progress, AtomicReference<DockerHttpClient.Response> open, Consumer<String> logLine)
            throws Exception {
        DockerHttpClient.Request.Builder builder = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST);
        if (session.isPresent()) {
            builder.path(path(request, noCache, BuildSessions.folders(request).dockerfileName())
                    + "&remote=client-session&session=" + session.get().id());
        } else {
            builder.path(path(request, noCache, request.dockerfile()))
                    .putHeader("Content-Type", "application/x-tar")
                    .body(context.input());
        }
        DockerHttpClient.Request call = builder.build();
        try (DockerHttpClient.Response response = http.execute(call)) {
            open.set(response);
            if (response.getStatusCode() != 200) {
                return new Failed(Optional.empty(), refusal(response));
            }
            String imageId = null;
            String error = null;
            try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(response.getBody())) {
                while (messages.hasNextValue()) {
                    JsonNode message = messages.nextValue();
                    String id = message.path("id").asText("");
                    if (id.equals(TRACE)) {
                        progress.accept(BuildKitStatus.parse(Base64.getDecoder().decode(message.path("aux").asText())));
                    } else if (id.equals(IMAGE_ID)) {
                        imageId = message.path("aux").path("ID").asText(null);
                    } else if (message.hasNonNull("errorDetail") || message.hasNonNull("error")) {
                        error = message.path("errorDetail").path("message").asText(message.path("error").asText(""));
                    } else if (message.hasNonNull("stream")) {
                        message.path("stream").asText().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(logLine);
                    }
                }
            }
            progress.flush();
            if (error != null) {
                return new Failed(progress.failedStep(), error.strip());
            }
            if (imageId == null) {
                return new Failed(progress.failedStep(), "the engine ended the build without naming an image", true);
            }
            if (context != null) {
                context.awaitWritten();
            }
            return new Built(imageId);
        }
    }

    /**
     * The query of a build: the same parameters {@code docker build} sends, with BuildKit asked for.
     *
     * @param dockerfile the Dockerfile as the engine finds it: in the context tar, or by name in the session's Dockerfile folder
     */
    static String path(Request request, boolean noCache, String dockerfile) throws IOException {
        StringBuilder path = new StringBuilder("/build?version=2&pull=0&rm=1&forcerm=1")
                .append("&t=").append(encode(request.tag()))
                .append("&dockerfile=").append(encode(dockerfile))
                .append("&labels=").append(encode(JSON.writeValueAsString(request.labels())));
        if (!request.buildArgs().isEmpty()) {
            path.append("&buildargs=").append(encode(JSON.writeValueAsString(request.buildArgs())));
        }
        request.target().ifPresent(target -> path.append("&target=").append(encode(target)));
        if (noCache) {
            path.append("&nocache=1");
        }
        return path.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The engine refused the request outright: its answer is one JSON object with a message. */
    static String refusal(DockerHttpClient.Response response) {
        try (InputStream body = response.getBody()) {
            byte[] bytes = body.readNBytes(64 * 1024);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                JsonNode json = JSON.readTree(text);
                if (json != null && json.hasNonNull("message")) {
                    text = json.get("message").asText();
                }
            } catch (IOException notJson) {
                // the text as it came
            }
            return "the engine refused the build (HTTP " + response.getStatusCode() + ")" + (text.isEmpty() ? "" : ": " + text);
        } catch (IOException e) {
            return "the engine refused the build (HTTP " + response.getStatusCode() + ")";
        }
    }

    private static Optional<String> readDockerfile(Request request) {
        Path file = request.contextDir().resolve(request.dockerfile());
        try {
            if (Files.size(file) > CHECKED_DOCKERFILE_BYTES) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // missing or unreadable: the engine says so in its own words
        }
    }

    /** Secrets and SSH agents come from a client's BuildKit session, which we do not open: say so before asking the engine. */
    private static Optional<Failed> needsSession(Request request, String dockerfile) {
        List<DockerfileChecks.SessionMount> mounts = DockerfileChecks.sessionMounts(dockerfile);
        if (mounts.isEmpty()) {
            return Optional.empty();
        }
        DockerfileChecks.SessionMount first = mounts.get(0);
        return Optional.of(new Failed(Optional.empty(), shown(request) + ":" + first.place().line() + ":" + first.place().column()
                + ": RUN --mount=type=" + first.type() + " needs a BuildKit session to pass the "
                + (first.type().equals("ssh") ? "SSH agent" : "secret")
                + ", and auto-rebuild builds without one; for development, pass the value as a build arg (build.args in dab.yml)"
                + " or a file in the build context, or build this image with `docker build`"));
    }

    /** BuildKit's own words for failures a user cannot act on as they stand. */
    private static String explain(String error, Request request, Optional<String> dockerfile) {
        Optional<DockerfileChecks.SyntaxDirective> syntax = dockerfile.flatMap(DockerfileChecks::syntax);
        if (syntax.isPresent() && (error.contains("frontend gateway") || error.contains(syntax.get().image()))) {
            String image = syntax.get().image();
            return shown(request) + ":" + syntax.get().line() + ": the '# syntax=" + image + "' frontend is not on this engine and could not"
                    + " be fetched (" + error + "); pull it once (docker pull " + image + ") or remove the line: the engine's built-in"
                    + " Dockerfile frontend is used without it";
        }
        if (error.contains("no active sessions")) {
            return "this build needs a BuildKit session, which auto-rebuild does not open (" + error + ")";
        }
        return error;
    }

    private static String shown(Request request) {
        Path context = request.contextDir().getFileName();
        return (context == null ? "" : context + "/") + request.dockerfile();
    }
}
