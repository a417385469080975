package dev.autorebuild.web;

import dev.autorebuild.core.metrics.PrometheusText;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;

/** {@code GET /q/metrics}: the daemon's Prometheus metrics ({@link DaemonMetrics}); {@link AccessGuard} checked the token. */
@Path("/q/metrics")
public class MetricsResource {

    @Inject
    DaemonLink link;

    @GET
    @Produces(PrometheusText.CONTENT_TYPE)
    public String scrape() {
        return link.current().orElseThrow(() -> new WebApplicationException("auto-rebuild is starting", 503)).metrics().scrape();
    }
}
