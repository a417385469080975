package dev.autorebuild.core;

import java.util.Objects;

/**
 * A component: an immediate sub-folder of the workspace that holds a Dockerfile.
 *
 * @param folder the folder's own name, exactly as on disk
 * @param image  the image reference it is built into, {@code <workspace>-<component>:latest}
 */
public record Component(String folder, String image) {
    public Component {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(image, "image");
        if (folder.isEmpty() || folder.contains("/")) {
            throw new IllegalArgumentException("a component is one folder name, got '" + folder + "'");
        }
    }

    public static Component of(String workspaceFolderName, String componentFolder) {
        String image = DockerName.sanitize(workspaceFolderName) + "-" + DockerName.sanitize(componentFolder) + ":latest";
        return new Component(componentFolder, image);
    }

    /** Whether a user means this component by {@code name}: its folder name as on disk ("Web UI"), or that name sanitised ("web-ui"). */
    public boolean answersTo(String name) {
        return folder.equals(name) || DockerName.sanitize(folder).equals(name);
    }

    /** The image's name without its tag. */
    public String baseName() {
        return image.substring(0, image.lastIndexOf(':'));
    }
}
