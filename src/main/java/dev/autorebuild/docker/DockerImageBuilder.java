package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.build.Builder;
import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.engine.EngineException;
import dev.autorebuild.engine.ImageBuilder;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Builds images through the Docker Engine API, on BuildKit ({@link BuildKitBuild}) or the classic
 * builder ({@link ClassicBuild}), as the request says; {@link BuilderProbe} decides what {@code auto}
 * means on this engine. Both stream the context as a tar while the engine reads it, and both are
 * cancelled by interrupting the building thread.
 */
public final class DockerImageBuilder implements ImageBuilder {
    /** The message of a build interrupted by a stop or by a newer build of the same component. */
    public static final String CANCELLED = "build cancelled";
    /** What the classic builder says when a cached layer it picked was deleted meanwhile (seen in the soak). */
    private static final String LOST_CACHED_LAYER = "unable to find image";

    private final DockerClient docker;
    /** Where the engine is (DOCKER_HOST or the default socket), for messages. */
    private final String address;
    private final ClassicBuild classic;
    private final BuildKitBuild buildKit;
    private final BuilderProbe probe;
    /**
     * Asks whether the engine answers, with a bound: an engine that accepts connections and never answers
     * (a hung dockerd, a proxy in front of a dead one) held the daemon's start before its control socket
     * for ever, and held every later check too.
     */
    private final DockerClient pinger;
    private java.util.function.Supplier<Optional<String>> transportSays = Optional::empty;
    private static final java.time.Duration PING_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * @param contextWriters threads that write build contexts into the engine and read its answers
     *                       (two per build at most; a cached pool)
     */
    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters) {
        this(docker, contextWriters, DockerClients.environmentAddress());
    }

    /**
     * @param address where the engine is (e.g. {@code unix:///var/run/docker.sock}), as messages name it; BuildKit
     *                sessions are opened there
     */
    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters, String address) {
        this(docker, contextWriters, address, DockerClients.endpoint(address), DockerClients.forHost(address, PING_TIMEOUT));
    }

    /** For the engine a daemon chose (dab.yml, the environment, a context): its TLS files open the BuildKit sessions too. */
    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters, EngineTarget target) {
        this(docker, contextWriters, target, target.host());
    }

    /**
     * @param connect the address to connect to (an SSH engine's tunnel socket)
     * @param shown   the engine's address as messages name it (the {@code ssh://} one the user chose)
     */
    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters, EngineTarget connect, String shown) {
        this(docker, contextWriters, shown, DockerClients.endpoint(connect), DockerClients.forTarget(connect, PING_TIMEOUT));
    }

    /**
     * @param transportSays what the transport itself last said went wrong (ssh's error line for an SSH engine):
     *                      a better reason than the HTTP client's "failed to respond"
     */
    public DockerImageBuilder(DockerClient docker, ExecutorService contextWriters, EngineTarget connect, String shown,
                              java.util.function.Supplier<Optional<String>> transportSays) {
        this(docker, contextWriters, connect, shown);
        this.transportSays = transportSays;
    }

    private DockerImageBuilder(DockerClient docker, ExecutorService contextWriters, String address,
                               Optional<dev.autorebuild.docker.session.EngineEndpoint> sessions, DockerClient pinger) {
        this.docker = docker;
        this.pinger = pinger;
        this.address = address;
        DockerHttpClient http = ((DockerClientImpl) docker).getHttpClient();
        this.classic = new ClassicBuild(docker, contextWriters, this::imageId);
        this.buildKit = new BuildKitBuild(http, contextWriters, new BuildSessions(sessions, contextWriters));
        this.probe = new BuilderProbe(docker, http);
    }

    @Override
    public Resolution resolve(BuilderPreference preference) {
        return probe.resolve(preference);
    }

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
        return request.builder() == Builder.BUILDKIT
                ? buildKit.build(request, noCache, logLine)
                : classic.build(request, noCache, logLine);
    }

    @Override
    public Optional<String> engineProblem() {
        try {
            pinger.pingCmd().exec();
            return Optional.empty();
        } catch (RuntimeException e) {
            probe.forget();
            return Optional.of(transportSays.get().map(said -> address + ": " + said)
                    .orElseGet(() -> EngineProblems.describe(address, e)));
        }
    }

    @Override
    public Optional<Tagged> tagged(String tag) {
        return inspect(tag).map(image -> {
            Map<String, String> labels = image.getConfig() == null ? null : image.getConfig().getLabels();
            return new Tagged(image.getId(), labels == null ? Map.of() : labels);
        });
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
        } catch (RuntimeException e) { // an engine that is down or failing: not "no image", which would start a needless build or hide a redeploy
            throw new EngineException("cannot inspect the image " + reference + ": " + EngineErrors.message(e), e);
        }
    }
}
