package dev.autorebuild.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autorebuild.core.config.EngineSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Which engine to use, decided as the Docker CLI decides it, with the workspace's own choice first:
 * dab.yml's {@code engine:}, then {@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY} and
 * {@code DOCKER_CERT_PATH}), then {@code DOCKER_CONTEXT}, then the CLI's {@code currentContext} in
 * config.json, then the default socket. A context is read where the CLI keeps it: its endpoint in
 * {@code contexts/meta/<sha256 of the name>/meta.json}, its TLS files in {@code contexts/tls/<same>/docker/}.
 */
public final class EngineTargets {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why no engine can be chosen: a context that does not exist, TLS files that cannot be used. Start fails with it. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message);
        }
    }

    private EngineTargets() {}

    /** @param home the user's home folder (the CLI's configuration is in {@code ~/.docker}, or {@code DOCKER_CONFIG}) */
    public static EngineTarget resolve(Optional<EngineSettings> dab, Map<String, String> env, Path home) throws Unusable {
        Path config = Optional.ofNullable(env.get("DOCKER_CONFIG")).filter(s -> !s.isBlank()).map(Path::of).orElse(home.resolve(".docker"));
        if (dab.isPresent()) {
            EngineSettings e = dab.get();
            if (e.context().isPresent()) {
                return context(e.context().get(), config, "dab.yml engine.context");
            }
            return new EngineTarget(e.host().orElse(EngineTarget.DEFAULT_HOST), e.certPath().map(Path::of), e.tlsVerify(), "dab.yml engine:");
        }
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            boolean verify = Optional.ofNullable(env.get("DOCKER_TLS_VERIFY")).filter(v -> !v.isEmpty() && !v.equals("0")).isPresent();
            Optional<Path> certs = Optional.ofNullable(env.get("DOCKER_CERT_PATH")).filter(p -> !p.isBlank()).map(Path::of)
                    .or(() -> verify ? Optional.of(config) : Optional.empty());
            return new EngineTarget(host.strip(), verify ? certs : Optional.empty(), verify, "DOCKER_HOST");
        }
        String context = env.get("DOCKER_CONTEXT");
        if (context != null && !context.isBlank()) {
            return context(context.strip(), config, "DOCKER_CONTEXT");
        }
        Optional<String> current = currentContext(config);
        if (current.isPresent()) {
            return context(current.get(), config, config.resolve("config.json") + " currentContext");
        }
        return new EngineTarget(EngineTarget.DEFAULT_HOST, Optional.empty(), false, "default");
    }

    private static Optional<String> currentContext(Path config) throws Unusable {
        Path file = config.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode current = JSON.readTree(file.toFile()).path("currentContext");
            return current.isTextual() && !current.textValue().isBlank() ? Optional.of(current.textValue()) : Optional.empty();
        } catch (IOException e) {
            throw new Unusable("cannot read " + file + " (the Docker CLI's configuration): " + e.getMessage());
        }
    }

    private static EngineTarget context(String name, Path config, String from) throws Unusable {
        if (name.equals("default")) {
            return new EngineTarget(EngineTarget.DEFAULT_HOST, Optional.empty(), false, "context default (" + from + ")");
        }
        String id = sha256(name);
        Path meta = config.resolve("contexts").resolve("meta").resolve(id).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new Unusable("the Docker context '" + name + "' (" + from + ") does not exist in " + config.resolve("contexts")
                    + "; `docker context ls` lists the contexts there");
        }
        JsonNode docker;
        try {
            docker = JSON.readTree(meta.toFile()).path("Endpoints").path("docker");
        } catch (IOException e) {
            throw new Unusable("cannot read the Docker context '" + name + "' (" + meta + "): " + e.getMessage());
        }
        String host = docker.path("Host").asText("");
        if (host.isBlank()) {
            throw new Unusable("the Docker context '" + name + "' (" + meta + ") has no docker endpoint (Endpoints.docker.Host)");
        }
        Path tls = config.resolve("contexts").resolve("tls").resolve(id).resolve("docker");
        boolean hasTls = Files.isDirectory(tls);
        return new EngineTarget(host, hasTls ? Optional.of(tls) : Optional.empty(), hasTls && !docker.path("SkipTLSVerify").asBoolean(false),
                "context " + name + " (" + from + ")");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
