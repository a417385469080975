package dev.autorebuild.config;

import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.fs.PathNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a workspace's Compose file under its dab.yml: the components are the Compose file's built
 * services, and a dab.yml {@code components.<folder>} key set to something other than its default wins
 * over what the service says, key by key. dab.yml's {@code name:} wins over Compose's project name.
 */
final class ComposeMerge {
    private ComposeMerge() {}

    static ConfigReader.Result apply(Path workspace, ConfigReader.Loaded dab, Map<String, String> processEnv) {
        Optional<Path> file = dab.compose().isPresent()
                ? (dab.compose().get().equals("false") ? Optional.empty() : Optional.of(workspace.resolve(dab.compose().get()).normalize()))
                : ComposeReader.locate(workspace);
        if (file.isEmpty()) {
            return dab;
        }
        String shown = file.get().startsWith(workspace) ? PathNames.relative(workspace, file.get()) : file.get().toString();
        if (!Files.isRegularFile(file.get())) {
            return new ConfigReader.Invalid(List.of(new dev.autorebuild.core.config.ConfigProblem(
                    dab.file().map(Path::toString).orElse("dab.yml"), 0, 0, "compose: " + shown + ": no such file")));
        }
        ComposeReader.Result read = ComposeReader.read(workspace, file.get(), shown, processEnv);
        if (read instanceof ComposeReader.Invalid invalid) {
            return new ConfigReader.Invalid(invalid.problems());
        }
        ComposeReader.Project project = ((ComposeReader.Read) read).project();
        DabConfig config = dab.config();
        Map<String, DabConfig.ComponentSettings> merged = new LinkedHashMap<>(config.components());
        project.components().forEach((folder, fromCompose) -> {
            DabConfig.ComponentSettings own = config.components().getOrDefault(folder, config.components().get(DockerName.sanitize(folder)));
            merged.put(folder, own == null ? fromCompose : over(own, fromCompose));
        });
        List<String> warnings = new ArrayList<>(dab.warnings());
        warnings.addAll(project.warnings());
        DabConfig withCompose = config.withCompose(project.compose(), merged, Optional.of(config.name().orElse(project.name())));
        return new ConfigReader.Loaded(withCompose, dab.file(), warnings, dab.compose(), dab.engine());
    }

    /** {@code own}'s settings where they differ from the defaults, the service's elsewhere. */
    static DabConfig.ComponentSettings over(DabConfig.ComponentSettings own, DabConfig.ComponentSettings service) {
        DabConfig.ComponentSettings d = DabConfig.ComponentSettings.DEFAULTS;
        DabConfig.Run r = own.run();
        DabConfig.Run dr = DabConfig.Run.DEFAULTS;
        DabConfig.Run s = service.run();
        Map<String, String> env = new LinkedHashMap<>(s.env());
        env.putAll(r.env());
        Map<String, String> args = new LinkedHashMap<>(service.args());
        args.putAll(own.args());
        DabConfig.Run run = new DabConfig.Run(pick(r.ports(), dr.ports(), s.ports()), env, pick(r.command(), dr.command(), s.command()),
                pick(r.volumes(), dr.volumes(), s.volumes()), pick(r.network(), dr.network(), s.network()), pick(r.restart(), dr.restart(), s.restart()),
                pick(r.init(), dr.init(), s.init()), pick(r.stopTimeout(), dr.stopTimeout(), s.stopTimeout()),
                pick(r.readiness(), dr.readiness(), s.readiness()), swarm(r.swarm(), s.swarm()), r.staging()); // Compose has no such key
        return new DabConfig.ComponentSettings(own.enabled(), pick(own.image(), d.image(), service.image()),
                pick(own.dockerfile(), d.dockerfile(), service.dockerfile()), pick(own.context(), d.context(), service.context()), args,
                pick(own.target(), d.target(), service.target()), own.builder(), own.watch(), run, own.secrets(), service.compose(),
                pick(own.watchRules(), d.watchRules(), service.watchRules()));
    }

    /** dab.yml's target (Compose has none), and each Swarm setting dab.yml changed, over the service's {@code deploy:}. */
    private static dev.autorebuild.core.deploy.SwarmSettings swarm(dev.autorebuild.core.deploy.SwarmSettings own,
                                                                   dev.autorebuild.core.deploy.SwarmSettings service) {
        var d = dev.autorebuild.core.deploy.SwarmSettings.DEFAULTS;
        return new dev.autorebuild.core.deploy.SwarmSettings(own.target(), pick(own.replicas(), d.replicas(), service.replicas()),
                pick(own.ingress(), d.ingress(), service.ingress()), pick(own.update(), d.update(), service.update()));
    }

    private static <T> T pick(T own, T defaultValue, T service) {
        return own.equals(defaultValue) ? service : own;
    }
}
