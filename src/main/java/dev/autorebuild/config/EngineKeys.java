package dev.autorebuild.config;

import dev.autorebuild.core.config.EngineSettings;

import java.nio.file.Path;
import java.util.Optional;

/** dab.yml's {@code engine:} section, checked: an address or a context, never both; each problem at its key. */
final class EngineKeys {
    /** Reports a problem at a key path under {@code engine}. */
    interface Problems {
        void at(String message, Object... path);
    }

    private EngineKeys() {}

    static Optional<EngineSettings> check(RawConfig.Engine raw, Path workspace, Problems problems) {
        if (raw == null) {
            return Optional.empty();
        }
        Optional<String> host = Optional.ofNullable(raw.host()).map(String::strip).filter(h -> !h.isEmpty());
        Optional<String> context = Optional.ofNullable(raw.context()).map(String::strip).filter(c -> !c.isEmpty());
        if (host.isPresent() && context.isPresent()) {
            problems.at("engine: give host (an address) or context (a Docker CLI context), not both", "engine", "context");
        }
        if (host.isEmpty() && context.isEmpty()) {
            problems.at("engine: needs host (e.g. tcp://build-host:2376, unix:///var/run/docker.sock, ssh://user@host) or context "
                    + "(a name from docker context ls)", "engine");
        }
        host.filter(h -> !h.matches("(tcp|unix|ssh|npipe)://.+")).ifPresent(h -> problems.at("engine.host: '" + h
                + "' is not an engine address; write tcp://HOST:PORT, unix:///path/docker.sock or ssh://user@host", "engine", "host"));
        if (raw.certPath() != null && context.isPresent()) {
            problems.at("engine.cert-path: a context brings its own TLS files; leave cert-path out", "engine", "cert-path");
        }
        Optional<String> certPath = Optional.ofNullable(raw.certPath()).map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> workspace.resolve(p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p).normalize().toString());
        boolean verify = raw.tlsVerify() == null ? certPath.isPresent() : raw.tlsVerify();
        if (verify && certPath.isEmpty() && host.isPresent()) {
            problems.at("engine.tls-verify: true needs cert-path, the folder with ca.pem, cert.pem and key.pem", "engine", "tls-verify");
        }
        return Optional.of(new EngineSettings(host, certPath, verify, context));
    }
}
