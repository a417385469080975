package dev.autorebuild.cli;

import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.DockerName;
import dev.autorebuild.engine.ConfigSource;
import dev.autorebuild.fs.ComponentFinder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code auto-rebuild --check-config}: validates without starting anything, and says what it would watch. */
final class ConfigCheck {
    private ConfigCheck() {}

    static int run(Path workspace, FileConfigSource source, PrintWriter out, PrintWriter err) throws IOException {
        ConfigSource.Result result = source.load();
        if (result instanceof ConfigSource.Rejected rejected) {
            err.println(rejected.problems());
            return 1;
        }
        ConfigSource.Loaded loaded = (ConfigSource.Loaded) result;
        DabConfig config = loaded.config();
        List<String> components = ComponentFinder.find(workspace, config);
        out.println(source.file().isPresent() || config.compose().isPresent() ? loaded.origin() + ": OK"
                : "no dab.yml in " + workspace + ": the built-in defaults apply (see dab.yml.example)");
        config.compose().ifPresent(compose -> {
            out.println(compose.file() + ": project " + config.projectName(workspace.getFileName().toString()) + ", services built here: "
                    + (compose.folders().isEmpty() ? "none" : compose.folders().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " (" + e.getValue() + "/)").collect(java.util.stream.Collectors.joining(", "))));
            if (!compose.notBuilt().isEmpty()) {
                out.println("  not built here: " + compose.notBuiltList());
            }
        });
        out.println("components: " + (components.isEmpty() ? "none yet (a sub-folder with a Dockerfile makes one)" : String.join(", ", components)));
        loaded.warnings().forEach(w -> out.println("warning: " + w));
        for (String name : config.components().keySet()) {
            boolean matches = components.stream().anyMatch(f -> f.equals(name) || DockerName.sanitize(f).equals(name));
            boolean disabled = !config.components().get(name).enabled();
            if (!matches && !disabled) {
                out.println("note: components." + name + " matches no component folder "
                        + (Files.isDirectory(workspace.resolve(name)) ? "(" + name + "/ has no " + config.components().get(name).dockerfile() + ")" : "(yet)"));
            }
        }
        return 0;
    }
}
