package dev.autorebuild.engine;

import dev.autorebuild.core.build.Builder;
import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.DockerignoreMatcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The engine's view of an image builder; the Docker adapter implements it. */
public interface ImageBuilder {

    /**
     * @param contextDir  the folder sent as the build context
     * @param dockerfile  the Dockerfile, relative to the context
     * @param tag         the reference the image is tagged with
     * @param labels      labels put on the image
     * @param alwaysSent  context paths sent even if the ignore file lists them (the Dockerfile, the ignore file)
     * @param neverSent   context folders never sent: auto-rebuild's own state folder when the context is the workspace
     * @param target      the build stage to stop at, if any
     * @param builder     the builder to use, as {@link #resolve} chose it
     * @param secrets     BuildKit secrets by id, read when the build asks for them
     */
    record Request(Path contextDir, String dockerfile, String tag, Map<String, String> labels, DockerignoreMatcher dockerignore,
                   Set<String> alwaysSent, Set<String> neverSent, Map<String, String> buildArgs, Optional<String> target, boolean noCache,
                   Builder builder, Map<String, DabConfig.Secret> secrets) {
        public Request {
            labels = Map.copyOf(labels);
            alwaysSent = Set.copyOf(alwaysSent);
            neverSent = Set.copyOf(neverSent);
            buildArgs = Map.copyOf(buildArgs);
            secrets = Map.copyOf(secrets);
        }
    }

    /**
     * The builder a preference comes to on this engine.
     *
     * @param fallback why {@code auto} chose the classic builder, when it did
     */
    record Resolution(Builder builder, Optional<String> fallback) {}

    /** Which builder to use for {@code preference}; {@code auto} asks the engine once (and again after it went away). */
    Resolution resolve(BuilderPreference preference);

    /** How a build ended. */
    sealed interface Outcome permits Built, Failed {}

    record Built(String imageId) implements Outcome {}

    /**
     * @param step    the Dockerfile step that failed as the builder printed it ("Step 3/4 : RUN make",
     *                "[stage-0 3/4] RUN make"), or
     *                empty when the build failed before any step (bad Dockerfile, engine unreachable)
     * @param message the builder's error
     * @param connectionLost the connection to the engine broke before the engine said how the build
     *                       ended (an engine restarted mid-build): nothing says the build itself failed
     */
    record Failed(Optional<String> step, String message, boolean connectionLost) implements Outcome {
        public Failed(Optional<String> step, String message) {
            this(step, message, false);
        }
    }

    Outcome build(Request request, Consumer<String> logLine);

    /** An image as the engine describes it: its id and its labels (none is an empty map). */
    record Tagged(String id, Map<String, String> labels) {}

    /**
     * The image now tagged {@code tag}, or empty when there is none: one question to the engine for
     * both its id and its labels.
     *
     * @throws EngineException when the engine cannot say
     */
    Optional<Tagged> tagged(String tag);

    /**
     * The labels of the image now tagged {@code tag}, or empty when there is none.
     *
     * @throws EngineException when the engine cannot say
     */
    default Optional<Map<String, String>> labelsOf(String tag) {
        return tagged(tag).map(Tagged::labels);
    }

    /**
     * The id of the image now tagged {@code tag}, if any.
     *
     * @throws EngineException when the engine cannot say
     */
    default Optional<String> imageId(String tag) {
        return tagged(tag).map(Tagged::id);
    }

    /** Whether the engine answers right now (a ping): tells an engine that is down from a build that failed. */
    default boolean engineAnswers() {
        return engineProblem().isEmpty();
    }

    /** Empty when the engine answers a ping now; else where we looked and what we got, in one line. */
    Optional<String> engineProblem();

    /** Removes an image this workspace built and nothing uses any more; quietly keeps it otherwise. */
    void removeIfUnused(String imageId, String workspaceLabel);
}
