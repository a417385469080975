package dev.autorebuild.web;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The meeting point of the daemon (built by hand in {@code DaemonRun}, not by CDI) and the HTTP
 * resources (built by CDI). Quarkus serves HTTP from boot; until the daemon attaches, every request
 * is answered 503.
 */
@ApplicationScoped
public class DaemonLink {
    private volatile LiveDaemon daemon;

    public void attach(LiveDaemon daemon) {
        this.daemon = daemon;
    }

    public void detach() {
        this.daemon = null;
    }

    public Optional<LiveDaemon> current() {
        return Optional.ofNullable(daemon);
    }
}
