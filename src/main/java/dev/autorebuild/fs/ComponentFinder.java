package dev.autorebuild.fs;

import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.config.DabConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workspace's components: its immediate sub-folders that hold their Dockerfile ({@code Dockerfile},
 * or the one dab.yml names), unless dab.yml disables them; with a Compose file, only the folders its
 * services build.
 */
public final class ComponentFinder {
    private ComponentFinder() {}

    public static List<String> find(Path workspace, DabConfig config) throws IOException {
        try (Stream<Path> entries = Files.list(workspace)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> isComponent(workspace, name, config))
                    .sorted()
                    .toList();
        }
    }

    public static boolean isComponent(Path workspace, String folder, DabConfig config) {
        if (folder.startsWith(".")) {
            return false; // .dab, .git and other dot-folders are never components
        }
        if (config.compose().isPresent() && !config.compose().get().folders().containsValue(folder)) {
            return false; // with a Compose file, the components are its built services
        }
        DabConfig.ComponentSettings settings = config.component(folder, DockerName.sanitize(folder));
        return settings.enabled() && Files.isRegularFile(workspace.resolve(folder).resolve(settings.dockerfile()));
    }
}
