package dev.autorebuild.web;

import dev.autorebuild.engine.ContainerState;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.engine.ServiceRuntime;
import dev.autorebuild.view.StatusBoard;

import java.time.Instant;
import java.util.Locale;

/**
 * One component as {@code GET /api/components} shows it. Null fields (absent in the JSON) mean "not
 * known yet": no build so far, no container.
 *
 * @param state          idle, queued, waiting (builds held), building or failed
 * @param pendingRedeploy its image is newer than its container (or it has none yet)
 */
public record ComponentView(String name, String folder, String image, String digest, String state, LastBuild lastBuild,
                            Container container, boolean pendingRedeploy, LastRedeploy lastRedeploy, LastSync lastSync, Service service) {

    /**
     * A component whose target is {@code swarm}: its service (absent in the JSON otherwise).
     *
     * @param updateState Swarm's update state ({@code updating}, {@code completed}, {@code rollback_completed}, …), null before any update
     */
    public record Service(String name, String id, String image, int running, int desired, String updateState, String updateMessage) {}

    /**
     * @param result  succeeded or failed; {@code detail} is the image id, or why it failed
     * @param builder buildkit or classic (absent when the build failed before it started)
     */
    public record LastBuild(Instant started, long durationMs, String result, String detail, String builder) {}

    /**
     * @param state running, stopped, absent, foreign (a container of that name auto-rebuild did not create), or
     *              unknown (the engine does not answer); for a Swarm service: running (a task runs), stopped (none
     *              does), absent (no service yet) or foreign
     */
    public record Container(String name, String id, String state) {}

    public record LastRedeploy(Instant at, String result, String detail) {}

    public record LastSync(Instant at, String result, String detail) {}

    static ComponentView of(StatusBoard.ComponentStatus s, ContainerState c, String workspace) {
        var build = s.lastBuild().map(b -> new LastBuild(b.started(), b.took().toMillis(), b.succeeded() ? "succeeded" : "failed", b.detail(),
                        b.builder().map(dev.autorebuild.core.build.Builder::key).orElse(null)))
                .orElse(null);
        String containerState = c.unknown().isPresent() ? "unknown" : c.foreign() ? "foreign"
                : c.swarm() ? c.service().map(x -> x.running() > 0 ? "running" : "stopped").orElse("absent")
                : c.container().map(x -> x.running() ? "running" : "stopped").orElse("absent");
        String id = c.swarm() ? c.service().map(ServiceRuntime.Status::id).orElse(null)
                : c.container().map(dev.autorebuild.engine.ContainerRuntime.Container::id).orElse(null);
        var container = new Container(c.name(), id, containerState);
        var service = c.service().map(x -> new Service(c.name(), x.id(), x.image(), x.running(), x.desired(), x.updateState().orElse(null),
                x.updateMessage().orElse(null))).orElse(null);
        var redeploy = s.lastRedeploy().map(r -> new LastRedeploy(r.at(), r.succeeded() ? "succeeded" : "failed", r.detail())).orElse(null);
        var sync = s.lastSync().map(y -> new LastSync(y.at(), y.succeeded() ? "succeeded" : "failed", y.detail())).orElse(null);
        return new ComponentView(s.component().folder(), workspace + "/" + s.component().folder(), s.component().image(),
                s.digest().orElse(null), s.state().name().toLowerCase(Locale.ROOT), build, container, c.pending(), redeploy, sync, service);
    }
}
