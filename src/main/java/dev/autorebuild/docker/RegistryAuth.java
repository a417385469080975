package dev.autorebuild.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AuthConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials as the Docker CLI stores them after {@code docker login}: {@code auths} in
 * {@code $DOCKER_CONFIG/config.json} (else {@code ~/.docker/config.json}), each entry's {@code auth}
 * being base64 of {@code user:password}, or an {@code identitytoken}. Credential helpers
 * ({@code credsStore}, {@code credHelpers}) are not run: their secrets stay where they are.
 */
public final class RegistryAuth {
    private final Optional<Path> configFile;

    public RegistryAuth(Optional<Path> configFile) {
        this.configFile = configFile;
    }

    /** The CLI's own file, where the environment says it is. */
    public static RegistryAuth fromEnvironment(Map<String, String> env) {
        Path folder = Optional.ofNullable(env.get("DOCKER_CONFIG")).filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".docker"));
        return new RegistryAuth(Optional.of(folder.resolve("config.json")));
    }

    /** The credentials for the registry an image is pushed to ({@code host:port/repo} → {@code host:port}), if any are stored. */
    public Optional<AuthConfig> forImage(String repository) {
        int slash = repository.indexOf('/');
        String registry = slash < 0 ? repository : repository.substring(0, slash);
        JsonNode auths = read().map(root -> root.path("auths")).orElse(null);
        if (auths == null || !auths.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (hostOf(entry.getKey()).equals(registry)) {
                return credentials(registry, entry.getValue());
            }
        }
        return Optional.empty();
    }

    private static Optional<AuthConfig> credentials(String registry, JsonNode entry) {
        AuthConfig config = new AuthConfig().withRegistryAddress(registry);
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                return Optional.of(config.withUsername(decoded.substring(0, colon)).withPassword(decoded.substring(colon + 1)));
            }
        }
        String token = entry.path("identitytoken").asText("");
        return token.isEmpty() ? Optional.empty() : Optional.of(config.withIdentityToken(token));
    }

    /** {@code https://host:5000/v1/} → {@code host:5000}, as the CLI matches its entries. */
    static String hostOf(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    private Optional<JsonNode> read() {
        if (configFile.isEmpty() || !Files.isRegularFile(configFile.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectMapper().readTree(configFile.get().toFile()));
        } catch (IOException | RuntimeException e) { // unreadable: pushed without credentials, and the registry's refusal says so
            return Optional.empty();
        }
    }
}
