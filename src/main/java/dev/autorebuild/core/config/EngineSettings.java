package dev.autorebuild.core.config;

import java.util.Optional;

/**
 * dab.yml's {@code engine:} section: the Docker engine this workspace is built and run on, as an
 * address ({@code host}, with TLS files in {@code certPath}: ca.pem, cert.pem, key.pem, as the Docker
 * CLI's DOCKER_CERT_PATH holds them) or as a Docker CLI context's name. Read at start only.
 *
 * @param certPath an absolute folder (a relative one in dab.yml starts at the workspace)
 */
public record EngineSettings(Optional<String> host, Optional<String> certPath, boolean tlsVerify, Optional<String> context) {}
