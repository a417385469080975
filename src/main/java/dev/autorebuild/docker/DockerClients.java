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

    /**
     * Where the engine at {@code host} listens and the TLS it wants, resolved as {@link #forHost} does,
     * for the connections docker-java cannot make (BuildKit sessions); empty when the address cannot be read.
     */
    public static Optional<EngineEndpoint> endpoint(String host) {
        try {
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
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

    private static DockerClient create(DefaultDockerClientConfig.Builder builder) {
        try {
            DefaultDockerClientConfig config = builder.build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .maxConnections(16)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
            return DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            String host = System.getenv("DOCKER_HOST");
            throw new IllegalArgumentException("cannot set up the Docker client: " + e.getMessage()
                    + (host == null ? "" : " (DOCKER_HOST=" + host + "; unset it for the local engine, or write e.g. unix:///var/run/docker.sock)"), e);
        }
    }
}
