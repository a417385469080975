package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.autorebuild.core.Labels;
import dev.autorebuild.engine.ImageBuilder;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Builds images through the Docker Engine API (docker-java), streaming the build context as a tar
 * from a second thread while the engine reads it, and the build log back line by line.
 */
public final class DockerImageBuilder implements ImageBuilder {
    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    private static final int PIPE_BUFFER = 256 * 1024;

    private final DockerClient docker;
    private final ExecutorService contextWriters;

    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters) {
        this.docker = docker;
        this.contextWriters = contextWriters;
    }

    /** What the classic builder says when a cached layer it picked was deleted meanwhile (seen in the soak). */
    private static final String LOST_CACHED_LAYER = "unable to find image";

    /**
     * Builds; a build the engine failed because a cached layer vanished under it is built once more,
     * without the cache: the failure is the engine's, not the Dockerfile's, and would otherwise leave the
     * component stale until its next change.
     */
    @Override
    public Outcome build(Request request, Consumer<String> logLine) {
        Outcome outcome = build(request, request.noCache(), logLine);
        if (outcome instanceof Failed failed && failed.message().contains(LOST_CACHED_LAYER) && !request.noCache()
                && !Thread.currentThread().isInterrupted()) {
            logLine.accept("(the engine lost a cached layer during the build: building again without its cache)");
            outcome = build(request, true, logLine);
        }
        return outcome;
    }

    private Outcome build(Request request, boolean noCache, Consumer<String> logLine) {
        LogCollector log = new LogCollector(logLine);
        try (PipedInputStream context = new PipedInputStream(PIPE_BUFFER);
             PipedOutputStream contextSink = new PipedOutputStream(context)) {
            var writer = contextWriters.submit(() -> {
                try (contextSink) {
                    BuildContextTar.write(request.contextDir(), request.dockerignore(), request.alwaysSent(), request.neverSent(), contextSink);
                } catch (IOException e) {
                    if (!"Pipe closed".equals(e.getMessage()) && !"Read end dead".equals(e.getMessage())) {
                        throw new UncheckedIOException(e);
                    }
                }
                return null;
            });
            var command = docker.buildImageCmd(context)
                    .withDockerfilePath(request.dockerfile())
                    .withTags(Set.of(request.tag()))
                    .withLabels(request.labels())
                    .withPull(false)
                    .withNoCache(noCache)
                    .withRemove(true)
                    .withForcerm(true);
            request.buildArgs().forEach(command::withBuildArg);
            request.target().ifPresent(command::withTarget);
            String imageId = command.exec(log).awaitImageId();
            writer.get();
            log.flush();
            // The build stream names the image by a short id; compare and store the full one.
            return new Built(imageId(imageId).orElse(imageId));
        } catch (InterruptedException e) {
            return cancelled(log);
        } catch (Exception e) { // engine errors, an unreachable engine, a context that could not be written
            if (e.getCause() instanceof InterruptedException) { // docker-java wraps the interrupt of awaitImageId()
                return cancelled(log);
            }
            log.flush();
            return new Failed(log.step(), log.error().orElse(cleanMessage(e)));
        }
    }

    /** The build thread was interrupted (an immediate stop): closing the stream makes the engine cancel the build. */
    private static Failed cancelled(LogCollector log) {
        Thread.currentThread().interrupt();
        try {
            log.close();
        } catch (IOException e) {
            // the connection is going away anyway
        }
        return new Failed(log.step(), "build cancelled");
    }

    @Override
    public boolean engineAnswers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<Map<String, String>> labelsOf(String tag) {
        return inspect(tag).map(image -> {
            Map<String, String> labels = image.getConfig() == null ? null : image.getConfig().getLabels();
            return labels == null ? Map.of() : labels;
        });
    }

    @Override
    public Optional<String> imageId(String tag) {
        return inspect(tag).map(InspectImageResponse::getId);
    }

    @Override
    public void removeIfUnused(String imageId, String workspaceLabel) {
        Optional<Map<String, String>> labels = labelsOf(imageId);
        if (labels.isEmpty() || !workspaceLabel.equals(labels.get().get(Labels.WORKSPACE))) {
            return; // not ours: never touched
        }
        try {
            docker.removeImageCmd(imageId).withForce(false).exec();
        } catch (RuntimeException e) {
            // still tagged or used by a container: it stays, which is what we want
        }
    }

    private Optional<InspectImageResponse> inspect(String reference) {
        try {
            return Optional.of(docker.inspectImageCmd(reference).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String cleanMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? root.toString() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message.strip();
    }

    /** Splits the engine's stream chunks into lines and remembers the current step and the error. */
    private static final class LogCollector extends BuildImageResultCallback {
        private final Consumer<String> lineSink;
        private final StringBuilder partial = new StringBuilder();
        private volatile String step;
        private volatile String error;

        LogCollector(Consumer<String> lineSink) {
            this.lineSink = lineSink;
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                accept(item.getStream());
            }
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                error = item.getErrorDetail().getMessage().strip();
            } else if (item.getError() != null) {
                error = item.getError().strip();
            }
            super.onNext(item);
        }

        private static final java.util.regex.Pattern TERMINAL_ESCAPE = java.util.regex.Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

        private synchronized void accept(String chunk) {
            partial.append(chunk);
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                emit(partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        }

        synchronized void flush() {
            if (partial.length() > 0) {
                emit(partial.toString());
                partial.setLength(0);
            }
        }

        private void emit(String line) {
            // the engine paints a RUN step's stderr red with terminal escapes: they belong to no log, page or JSON
            String clean = TERMINAL_ESCAPE.matcher(line).replaceAll("").stripTrailing();
            if (clean.isEmpty()) {
                return;
            }
            if (STEP.matcher(clean).matches()) {
                step = clean;
            }
            lineSink.accept(clean);
        }

        Optional<String> step() {
            return Optional.ofNullable(step);
        }

        Optional<String> error() {
            return Optional.ofNullable(error);
        }
    }
}
