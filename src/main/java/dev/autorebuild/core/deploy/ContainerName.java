package dev.autorebuild.core.deploy;

import dev.autorebuild.core.DockerName;

/** A component's container is named {@code <workspace>-<component>}, sanitised like its image. */
public final class ContainerName {
    private ContainerName() {}

    public static String of(String workspaceFolderName, String componentFolder) {
        return DockerName.sanitize(workspaceFolderName) + "-" + DockerName.sanitize(componentFolder);
    }

    /** Where the old container waits while its successor proves itself. */
    public static String standby(String name) {
        return name + "-previous";
    }
}
