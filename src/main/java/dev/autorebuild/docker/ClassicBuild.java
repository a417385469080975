package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.autorebuild.engine.ImageBuilder.Built;
import dev.autorebuild.engine.ImageBuilder.Failed;
import dev.autorebuild.engine.ImageBuilder.Outcome;
import dev.autorebuild.engine.ImageBuilder.Request;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A build on the engine's classic builder, through docker-java's build command: the context streams
 * in as a tar, the log comes back line by line. Our labels become LABEL steps the builder commits one
 * by one (the cost BuildKit does not have).
 */
final class ClassicBuild {
    private static final Pattern STEP = dev.autorebuild.core.build.StepLine.CLASSIC;

    private final DockerClient docker;
    private final ExecutorService contextWriters;
    /** The full id of an image from the short one the build stream names. */
    private final Function<String, Optional<String>> fullImageId;

    ClassicBuild(DockerClient docker, ExecutorService contextWriters, Function<String, Optional<String>> fullImageId) {
        this.docker = docker;
        this.contextWriters = contextWriters;
        this.fullImageId = fullImageId;
    }

    Outcome build(Request request, boolean noCache, Consumer<String> logLine) {
        LogCollector log = new LogCollector(logLine);
        try (ContextStream context = ContextStream.open(request, contextWriters)) {
            var command = docker.buildImageCmd(context.input())
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
            context.awaitWritten();
            log.flush();
            return new Built(fullImageId.apply(imageId).orElse(imageId));
        } catch (InterruptedException e) {
            return cancelled(log);
        } catch (Exception e) { // engine errors, an unreachable engine, a context that could not be written
            if (e.getCause() instanceof InterruptedException) { // docker-java wraps the interrupt of awaitImageId()
                return cancelled(log);
            }
            log.flush();
            return new Failed(log.step(), log.error().orElse(EngineErrors.message(e)));
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
        return new Failed(log.step(), DockerImageBuilder.CANCELLED);
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
            String clean = TerminalEscapes.strip(line).stripTrailing();
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
