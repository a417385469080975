package dev.autorebuild.engine;

import dev.autorebuild.core.build.Builder;
import dev.autorebuild.core.build.BuilderPreference;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An in-memory image store behind the {@link ImageBuilder} port, for tests of what asks about images
 * (redeploys, the workspace model) without an engine: every tag has the same labels, or none, or the
 * engine refuses every question as docker-java reports a refused connection. It never builds.
 */
final class FakeImages implements ImageBuilder {
    private final Optional<Map<String, String>> labels;
    private final boolean engineDown;

    private FakeImages(Optional<Map<String, String>> labels, boolean engineDown) {
        this.labels = labels;
        this.engineDown = engineDown;
    }

    /** No image for any tag. */
    static FakeImages none() {
        return new FakeImages(Optional.empty(), false);
    }

    /** Every tag names one image with these labels. */
    static FakeImages labelled(Map<String, String> labels) {
        return new FakeImages(Optional.of(Map.copyOf(labels)), false);
    }

    /** An engine that does not answer: every question fails. */
    static FakeImages engineDown() {
        return new FakeImages(Optional.empty(), true);
    }

    @Override
    public Optional<Tagged> tagged(String tag) {
        refuseIfDown(tag);
        return labels.map(l -> new Tagged("sha256:image", l));
    }

    private void refuseIfDown(String tag) {
        if (engineDown) {
            throw new EngineException("cannot inspect the image " + tag + ": java.net.ConnectException: Connection refused",
                    new java.net.ConnectException("Connection refused"));
        }
    }

    @Override
    public Resolution resolve(BuilderPreference preference) {
        return new Resolution(Builder.BUILDKIT, Optional.empty());
    }

    @Override
    public Outcome build(Request request, Consumer<String> logLine) {
        throw new AssertionError("this fake never builds");
    }

    @Override
    public Optional<String> engineProblem() {
        return Optional.empty();
    }

    @Override
    public void removeIfUnused(String imageId, String workspaceLabel) {
    }
}
