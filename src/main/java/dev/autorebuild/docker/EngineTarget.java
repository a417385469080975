package dev.autorebuild.docker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Docker engine a daemon talks to, and where that choice came from, as the log, {@code -s status}
 * and the API name it.
 *
 * @param certPath the folder with ca.pem, cert.pem and key.pem, when the engine is reached over TLS
 * @param source   {@code dab.yml engine:}, {@code DOCKER_HOST}, {@code context NAME (…)}, or {@code default}
 */
public record EngineTarget(String host, Optional<Path> certPath, boolean tlsVerify, String source) {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    /** Where the engine's published ports are reached from this machine: its host for a TCP or SSH engine, else 127.0.0.1. */
    public String publishedHost() {
        if (remote()) {
            String name = java.net.URI.create(host).getHost();
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return "127.0.0.1";
    }

    /** An engine on another machine (as far as we can tell): reached over TCP or SSH, not a local socket. */
    public boolean remote() {
        return host.startsWith("tcp://") || ssh();
    }

    public boolean ssh() {
        return host.startsWith("ssh://");
    }

    public boolean tls() {
        return certPath.isPresent();
    }

    /** {@code tcp://build-host:2376 (TLS, from context build (DOCKER_CONTEXT))}, {@code unix:///var/run/docker.sock (default)}. */
    public String describe() {
        return host + " (" + (tls() ? "TLS, " : "") + (source.equals("default") ? "default" : "from " + source) + ")";
    }
}
