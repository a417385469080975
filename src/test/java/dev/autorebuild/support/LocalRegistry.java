package dev.autorebuild.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * A real registry (Debian's {@code docker-registry}, distribution 2.8) on 127.0.0.1 at a free port,
 * storing under a test folder. The engine pushes to a loopback registry without TLS. Its own HTTP API is
 * the oracle for what was pushed: the manifest digest of a tag comes from the registry, not from us.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;
    /** {@code user:password} when the registry asks for a login, for the oracle's own requests. */
    private final Optional<String> login;

    private LocalRegistry(Process process, int port, Optional<String> login) {
        this.process = process;
        this.port = port;
        this.login = login;
    }

    public static LocalRegistry start(Path folder) throws IOException {
        return start(folder, Optional.empty());
    }

    /**
     * A registry that refuses every request without {@code user}'s login ({@code user:password}): its
     * htpasswd file holds the password's bcrypt hash, the only kind distribution reads.
     */
    public static LocalRegistry start(Path folder, Optional<String> login) throws IOException {
        int port = DockerEngine.freePort();
        Files.createDirectories(folder.resolve("data"));
        Path config = folder.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(folder.resolve("data"), port) + login.map(l -> """
                auth:
                  htpasswd:
                    realm: test
                    path: %s
                """.formatted(folder.resolve("htpasswd"))).orElse(""));
        if (login.isPresent()) {
            String[] userPassword = login.get().split(":", 2);
            Files.writeString(folder.resolve("htpasswd"),
                    userPassword[0] + ":" + org.mindrot.jbcrypt.BCrypt.hashpw(userPassword[1], org.mindrot.jbcrypt.BCrypt.gensalt(4)) + "\n");
        }
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(p, port, login);
        await().atMost(Duration.ofSeconds(20)).alias("the registry answers on 127.0.0.1:" + port).until(() -> registry.answers());
        return registry;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL().openConnection();
            c.setConnectTimeout(500);
            authorize(c);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The digest the registry gives {@code repository:tag}'s manifest ({@code Docker-Content-Digest}), if it holds that tag. */
    public Optional<String> manifestDigest(String repository, String tag) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address() + "/v2/" + repository + "/manifests/" + tag).toURL().openConnection();
        c.setRequestMethod("HEAD");
        authorize(c);
        c.setRequestProperty("Accept", "application/vnd.docker.distribution.manifest.v2+json");
        return c.getResponseCode() == 200 ? Optional.ofNullable(c.getHeaderField("Docker-Content-Digest")) : Optional.empty();
    }

    private void authorize(HttpURLConnection c) {
        login.ifPresent(l -> c.setRequestProperty("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(l.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** Stops the registry: pushes to it then fail, as to one that went down. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
