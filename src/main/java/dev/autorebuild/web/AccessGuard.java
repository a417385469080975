package dev.autorebuild.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Every request, to the API, the dashboard, its scripts and the metrics alike, must carry the token:
 * {@code Authorization: Bearer TOKEN}, or {@code ?token=TOKEN} (which also sets an HttpOnly, SameSite=Strict
 * cookie, so the page's own requests and its event stream carry it), or that cookie. Anything else is a
 * 401 that says where the token is: another user on the machine can reach the port, but not read the
 * owner-only file that holds it.
 */
@ApplicationScoped
public class AccessGuard {
    /** Runs before every route, static files included. */
    private static final int PRIORITY = 1_000;

    @Inject
    DaemonLink link;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        Optional<LiveDaemon> daemon = link.current();
        if (daemon.isEmpty()) {
            rc.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader(HttpHeaders.RETRY_AFTER, "1").end("auto-rebuild is starting; try again in a moment\n");
            return;
        }
        AccessToken token = AccessToken.of(daemon.get().token());
        String cookieName = AccessToken.cookieName(rc.request().localAddress().port());
        Optional<String> query = Optional.ofNullable(rc.request().getParam("token"));
        Optional<String> cookie = Optional.ofNullable(rc.request().getCookie(cookieName)).map(Cookie::getValue);
        if (!token.admits(Optional.ofNullable(rc.request().getHeader(HttpHeaders.AUTHORIZATION)), query, cookie)) {
            rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"auto-rebuild\"")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("401: this needs the daemon's token. `auto-rebuild -s status` prints the dashboard's address with it; "
                            + "the API takes it as 'Authorization: Bearer TOKEN' (it is in " + daemon.get().workspace().resolve(".dab/dashboard") + ")\n");
            return;
        }
        if (query.isPresent() && cookie.isEmpty()) {
            rc.response().addCookie(Cookie.cookie(cookieName, token.value()).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
        }
        rc.next();
    }
}
