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
 * docker-java's own HTTP transport. The engine fetches the context, the Dockerfile and the secrets
 * from our BuildKit session ({@link BuildSessions}), as from {@code docker build}; when no session can
 * be opened, the context tar is the request body instead (BuildKit's "upload" context). Our labels are
 * the {@code labels} parameter (image metadata, no steps), and the answer is a stream of JSON messages
 * whose {@code moby.buildkit.trace} entries carry BuildKit's progress as protobuf. Closing the request
 * cancels the build on the engine.
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
        List<DockerfileChecks.SessionMount> mounts = dockerfile.map(DockerfileChecks::sessionMounts).orElse(List.of());
        Optional<Failed> refused = refusedMounts(request, mounts, logLine);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<BuildSession> session = sessions.open(request, logLine);
        Optional<DockerfileChecks.SessionMount> secret = mounts.stream().filter(m -> m.type().equals("secret")).findFirst();
        if (session.isEmpty() && secret.isPresent()) {
            return new Failed(Optional.empty(), shown(request) + ":" + secret.get().place().line() + ":" + secret.get().place().column()
                    + ": RUN --mount=type=secret needs a BuildKit session to pass the secret, and none could be opened here (see the"
                    + " line before); for development, pass the value as a build arg (build.args in dab.yml) or build this image with"
                    + " `docker build`");
        }
        BuildKitProgress progress = new BuildKitProgress(line -> logLine.accept(TerminalEscapes.strip(line)));
        AtomicReference<DockerHttpClient.Response> open = new AtomicReference<>();
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

    /**
     * What the session cannot give, said before the engine is asked: an SSH agent (never forwarded), and a
     * secret marked required that dab.yml does not name. A secret dab.yml does not name and the step does
     * not require is only said: the step runs without it, as with {@code docker build}.
     */
    private static Optional<Failed> refusedMounts(Request request, List<DockerfileChecks.SessionMount> mounts, Consumer<String> logLine) {
        for (DockerfileChecks.SessionMount mount : mounts) {
            String at = shown(request) + ":" + mount.place().line() + ":" + mount.place().column() + ": ";
            if (mount.type().equals("ssh")) {
                return Optional.of(new Failed(Optional.empty(), at + "RUN --mount=type=ssh needs an SSH agent forwarded through the"
                        + " BuildKit session, which auto-rebuild does not do; for development, fetch with a token passed as a secret"
                        + " (build.secrets in dab.yml) or build this image with `docker build --ssh default`"));
            }
            if (!request.secrets().containsKey(mount.id())) {
                String add = "add build.secrets." + mount.id() + " to dab.yml, with file: PATH or env: VARIABLE";
                if (mount.required()) {
                    return Optional.of(new Failed(Optional.empty(), at + "the secret '" + mount.id() + "' is required, and dab.yml gives none; "
                            + add));
                }
                logLine.accept("(" + at + "the secret '" + mount.id() + "' is not in dab.yml, so this step runs without it; " + add + ")");
            }
        }
        return Optional.empty();
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
        return error;
    }

    private static String shown(Request request) {
        Path context = request.contextDir().getFileName();
        return (context == null ? "" : context + "/") + request.dockerfile();
    }
}
