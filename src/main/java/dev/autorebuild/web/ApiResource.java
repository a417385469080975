package dev.autorebuild.web;

import dev.autorebuild.view.BuildHistory;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;
import java.util.Map;

/**
 * The daemon's HTTP API (JSON), documented in the README. {@link AccessGuard} has checked the token
 * before any of this runs.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    @Inject
    DaemonLink link;

    /**
     * Which workspace this daemon watches (the page's title), warnings it cannot log (a full disk), and
     * which container engine it uses and whether it answers: {@code engine: {address, answering, since, reason}}.
     */
    @GET
    @Path("/daemon")
    public Map<String, Object> daemonInfo() {
        LiveDaemon d = daemon();
        Map<String, Object> engine = new java.util.LinkedHashMap<>();
        engine.put("address", d.engine());
        engine.put("answering", d.board().engineOutage().isEmpty());
        d.board().engineOutage().ifPresent(o -> {
            engine.put("since", o.since());
            engine.put("reason", o.reason());
        });
        return Map.of("workspace", d.workspace().toString(), "components", d.board().components().size(), "warnings", d.warnings().get(),
                "engine", engine);
    }

    @GET
    @Path("/components")
    public List<ComponentView> components() {
        LiveDaemon d = daemon();
        String workspace = d.workspace().toString();
        return d.board().components().stream().map(s -> ComponentView.of(s, d.containers().apply(s.component()), workspace)).toList();
    }

    /** Recent builds, newest first, each with the tail of its output; of one component, or of all. */
    @GET
    @Path("/builds")
    public List<BuildView> builds(@QueryParam("component") String component) {
        LiveDaemon d = daemon();
        if (component == null || component.isBlank()) {
            return d.history().all().stream().map(BuildView::of).toList();
        }
        known(d, component);
        return d.history().of(component).stream().map(BuildView::of).toList();
    }

    /**
     * One build in {@code GET /api/builds}.
     *
     * @param result     running, succeeded or failed
     * @param durationMs absent while it runs
     * @param detail     the image id, or why it failed (with the failing step)
     * @param builder    buildkit or classic; absent when it failed before it started
     */
    public record BuildView(String component, java.time.Instant started, Long durationMs, String result, int changedFiles,
                            String detail, String builder, List<String> logTail) {
        static BuildView of(BuildHistory.Build b) {
            return new BuildView(b.component(), b.started(), b.took().map(java.time.Duration::toMillis).orElse(null),
                    b.result().name().toLowerCase(java.util.Locale.ROOT), b.changedFiles(), b.detail(),
                    b.builder().map(dev.autorebuild.core.build.Builder::key).orElse(null), b.logTail());
        }
    }

    @POST
    @Path("/components/{name}/rebuild")
    public Response rebuild(@PathParam("name") String name) {
        LiveDaemon d = daemon();
        if (!d.rebuild().test(name)) {
            throw notFound(d, name);
        }
        return Response.accepted(Map.of("component", name, "queued", true)).build();
    }

    /** Redeploys the pending components (or only {@code ?component=}, which may repeat), and waits for the outcome. */
    @POST
    @Path("/redeploy")
    public Response redeploy(@QueryParam("component") List<String> names) {
        LiveDaemon d = daemon();
        names.forEach(n -> known(d, n));
        LiveDaemon.RedeployOutcome outcome = d.redeploy().apply(names);
        return Response.status(outcome.ok() ? 200 : 502).entity(outcome).build();
    }

    /** Server-Sent Events: every engine event from now on, one JSON object each. */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<EventView> events() {
        return daemon().events().stream();
    }

    private LiveDaemon daemon() {
        return link.current().orElseThrow(() -> new WebApplicationException("auto-rebuild is starting", 503));
    }

    private static void known(LiveDaemon d, String name) {
        boolean exists = d.board().components().stream().anyMatch(s -> s.component().answersTo(name));
        if (!exists) {
            throw notFound(d, name);
        }
    }

    private static WebApplicationException notFound(LiveDaemon d, String name) {
        String known = String.join(", ", d.board().components().stream().map(s -> s.component().folder()).toList());
        return new WebApplicationException(Response.status(404)
                .entity(Map.of("error", "no component '" + name + "'", "components", known))
                .type(MediaType.APPLICATION_JSON).build());
    }
}
