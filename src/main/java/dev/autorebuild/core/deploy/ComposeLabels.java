package dev.autorebuild.core.deploy;

import dev.autorebuild.core.config.DabConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * The labels Compose puts on a service's container. A container of a Compose service carries them
 * besides ours, so {@code docker compose ps} and docker-compose see it as the service's, and a container
 * Compose started is recognised as the one to replace.
 */
public final class ComposeLabels {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String SERVICE = "com.docker.compose.service";
    public static final String ONEOFF = "com.docker.compose.oneoff";
    public static final String NUMBER = "com.docker.compose.container-number";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";

    private ComposeLabels() {}

    /** What says "this project's service" (a one-off {@code compose run} container is not the service's). */
    public static Map<String, String> identity(DabConfig.ComposeService service) {
        return Map.of(PROJECT, service.project(), SERVICE, service.service(), ONEOFF, "False");
    }

    public static Map<String, String> container(DabConfig.ComposeService service, Path workspace) {
        return Map.of(PROJECT, service.project(), SERVICE, service.service(), ONEOFF, "False", NUMBER, "1", WORKING_DIR, workspace.toString());
    }
}
