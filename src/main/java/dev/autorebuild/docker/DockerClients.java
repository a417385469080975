package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.autorebuild.docker.session.EngineEndpoint;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/** Makes the one Docker client a daemon uses, from the environment (DOCKER_HOST etc.) as the CLI does. */
public final class DockerClients {
    private DockerClients() {}

    /**
     * @throws IllegalArgumentException with a message that says what to fix, when the environment
     *                                  names no usable engine address (a bad DOCKER_HOST)
     */
    public static DockerClient fromEnvironment() {
        return create(DefaultDockerClientConfig.createDefaultConfigBuilder());
    }

    /** Where {@link #fromEnvironment} connects: DOCKER_HOST, else the default socket; for messages. */
    public static String environmentAddress() {
        try {
            return DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost().toString();
        } catch (RuntimeException e) {
            return String.valueOf(System.getenv("DOCKER_HOST"));
        }
    }

    /** A client for the engine at {@code host} (e.g. {@code tcp://127.0.0.1:2375}), whatever the environment says. */
    public static DockerClient forHost(String host) {
        return create(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host));
    }

    /** A client for the engine a daemon chose (see {@link EngineTargets}), with its TLS files when it has them. */
    public static DockerClient forTarget(EngineTarget target) {
        return create(configFor(target));
    }

    /**
     * A client whose every request fails after {@code responseTimeout} without an answer, for the short
     * questions (ping) that must not wait for ever on an engine that accepts connections and never answers;
     * the daemon's own client has no such bound, as builds, event streams and attached output may be long.
     */
    public static DockerClient forTarget(EngineTarget target, Duration responseTimeout) {
        return create(configFor(target), responseTimeout);
    }

    /** {@link #forHost} with a bound on every answer, as {@link #forTarget(EngineTarget, Duration)}. */
    public static DockerClient forHost(String host, Duration responseTimeout) {
        return create(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host), responseTimeout);
    }

    private static DefaultDockerClientConfig.Builder configFor(EngineTarget target) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(target.host()).withDockerTlsVerify(target.tls());
        target.certPath().ifPresent(p -> builder.withDockerCertPath(p.toString()));
        return builder;
    }

    /**
     * Whether the target can be used at all, before anything connects: an address docker-java can reach,
     * and TLS files that are there, readable and valid. One line that says what to fix when not.
     */
    public static void check(EngineTarget target) throws EngineTargets.Unusable {
        if (target.ssh()) {
            checkSsh(target);
            return;
        }
        if (target.tls() && !target.tlsVerify()) {
            throw new EngineTargets.Unusable("the engine " + target.describe() + " would be reached over TLS without verifying it, which "
                    + "auto-rebuild does not do; give the engine's CA as ca.pem and verify it (DOCKER_TLS_VERIFY=1, tls-verify: true)");
        }
        if (target.tls()) {
            for (String name : java.util.List.of("ca.pem", "cert.pem", "key.pem")) {
                java.nio.file.Path file = target.certPath().get().resolve(name);
                if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
                    throw new EngineTargets.Unusable("the TLS file " + file + " is " + (java.nio.file.Files.exists(file) ? "not readable" : "missing")
                            + " (engine " + target.describe() + "); the folder needs ca.pem, cert.pem and key.pem, as the Docker CLI's "
                            + "DOCKER_CERT_PATH does");
                }
            }
            try {
                configFor(target).build().getSSLConfig().getSSLContext();
            } catch (Exception e) {
                throw new EngineTargets.Unusable("cannot use the TLS files in " + target.certPath().get() + " (engine " + target.describe()
                        + "): " + e.getMessage());
            }
        }
        try {
            configFor(target).build();
        } catch (RuntimeException e) {
            throw new EngineTargets.Unusable("cannot reach the engine " + target.describe() + ": " + e.getMessage());
        }
    }

    /**
     * An SSH engine needs the ssh client here (the remote machine needs docker, which only a connection
     * can tell), and an address it can read.
     */
    private static void checkSsh(EngineTarget target) throws EngineTargets.Unusable {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(target.host());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new EngineTargets.Unusable("cannot read the engine address " + target.describe() + ": write ssh://user@host or ssh://user@host:port");
        }
        boolean found = java.util.Arrays.stream(String.valueOf(System.getenv("PATH")).split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "ssh")));
        if (!found) {
            throw new EngineTargets.Unusable("the engine " + target.describe() + " is reached over SSH, but no ssh client is on the PATH: "
                    + "install one (Debian: apt install openssh-client)");
        }
    }

    /** Where the chosen engine listens and the TLS it wants, for the connections docker-java cannot make (BuildKit sessions). */
    public static Optional<EngineEndpoint> endpoint(EngineTarget target) {
        return endpoint(configFor(target), target.host());
    }

    /**
     * Where the engine at {@code host} listens and the TLS it wants, resolved as {@link #forHost} does,
     * for the connections docker-java cannot make (BuildKit sessions); empty when the address cannot be read.
     */
    public static Optional<EngineEndpoint> endpoint(String host) {
        return endpoint(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host), host);
    }

    private static Optional<EngineEndpoint> endpoint(DefaultDockerClientConfig.Builder builder, String host) {
        try {
            DefaultDockerClientConfig config = builder.build();
            SSLConfig ssl = config.getSSLConfig();
            Optional<Supplier<SSLContext>> tls = ssl == null ? Optional.empty() : Optional.of(() -> {
                try {
                    return ssl.getSSLContext();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
                }
            });
            return Optional.of(new EngineEndpoint(config.getDockerHost(), tls));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The TLS settings docker-java's transport gets: the configured ones; for a socket file, where no
     * connection uses TLS, a context made only if one ever did ({@link DeferredTls}). A TCP address
     * without TLS keeps none: handed any context, the transport would speak HTTPS to it.
     */
    static com.github.dockerjava.transport.SSLConfig tlsFor(java.net.URI host, SSLConfig configured) {
        if (configured != null || !("unix".equals(host.getScheme()) || "npipe".equals(host.getScheme()))) {
            return configured;
        }
        return DeferredTls::ofDefault;
    }

    private static DockerClient create(DefaultDockerClientConfig.Builder builder) {
        return create(builder, null);
    }

    private static DockerClient create(DefaultDockerClientConfig.Builder builder, Duration responseTimeout) {
        try {
            DefaultDockerClientConfig config = builder.build();
            ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(tlsFor(config.getDockerHost(), config.getSSLConfig()))
                    .maxConnections(16)
                    .connectionTimeout(Duration.ofSeconds(5));
            if (responseTimeout == null) {
                return DockerClientImpl.getInstance(config, http.build());
            }
            http.responseTimeout(responseTimeout); // a read timeout: TCP honours it, a socket file does not (AnswerDeadline)
            return DockerClientImpl.getInstance(config, new AnswerDeadline(http::build, responseTimeout));
        } catch (RuntimeException e) {
            String host = System.getenv("DOCKER_HOST");
            throw new IllegalArgumentException("cannot set up the Docker client: " + e.getMessage()
                    + (host == null ? "" : " (DOCKER_HOST=" + host + "; unset it for the local engine, or write e.g. unix:///var/run/docker.sock)"), e);
        }
    }
}
