package dev.autorebuild.config;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.engine.ConfigSource;
import dev.autorebuild.fs.PathNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's configuration: the workspace's dab.yml (or {@code -c FILE}), read again on every
 * reload, with the command-line options on top (an option given on the command line wins over the
 * file, and stays in force across reloads).
 */
public final class FileConfigSource implements ConfigSource {
    private final Path workspace;
    private final Optional<Path> explicit;
    private final Overrides overrides;
    /** The Compose files the last good load read (the main one, included and extended ones), as the workspace names them. */
    private volatile List<String> lastCompose = List.of();
    /** dab.yml's engine: at the first good load: a later change needs a restart, and says so. */
    private volatile Optional<dev.autorebuild.core.config.EngineSettings> engineAtStart;

    /** Settings given on the command line; empty ones come from the file (or the defaults). */
    public record Overrides(Optional<Duration> quietPeriod, Optional<Duration> maxWait, Optional<Integer> parallelBuilds,
                            Optional<Duration> quitTimeout) {
        public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        boolean any() {
            return quietPeriod.isPresent() || maxWait.isPresent() || parallelBuilds.isPresent() || quitTimeout.isPresent();
        }
    }

    public FileConfigSource(Path workspace, Optional<Path> explicit, Overrides overrides) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.explicit = explicit.map(p -> p.toAbsolutePath().normalize());
        this.overrides = overrides;
    }

    /** The configuration file in use (or that would be), if any. */
    public Optional<Path> file() {
        return ConfigReader.locate(workspace, explicit);
    }

    /** dab.yml's {@code engine:} section, read at start (empty without one, or when the file is invalid: its problems are reported by {@link #load}). */
    public Optional<dev.autorebuild.core.config.EngineSettings> engine() {
        if (engineAtStart != null) {
            return engineAtStart; // what the first good load read: no second parse of the files at start
        }
        return ConfigReader.read(workspace, explicit) instanceof ConfigReader.Loaded loaded ? loaded.engine() : Optional.empty();
    }

    @Override
    public Result load() {
        ConfigReader.Result read = ConfigReader.read(workspace, explicit);
        if (read instanceof ConfigReader.Invalid invalid) {
            return new Rejected(invalid.describe());
        }
        ConfigReader.Loaded loaded = (ConfigReader.Loaded) read;
        lastCompose = loaded.config().compose().map(DabConfig.Compose::files).orElse(List.of());
        List<String> warnings = new java.util.ArrayList<>(loaded.warnings());
        if (engineAtStart == null) {
            engineAtStart = loaded.engine();
        } else if (!engineAtStart.equals(loaded.engine())) {
            warnings.add("engine: is read at start only; the daemon keeps using the engine it started with until it is started again "
                    + "(auto-rebuild -s quit, then start it)");
        }
        Optional<String> compose = loaded.config().compose().map(DabConfig.Compose::file);
        String files = loaded.file().map(this::shown).map(f -> f + compose.map(c -> " with " + c).orElse(""))
                .orElse(compose.orElse("defaults"));
        try {
            return new Loaded(withOverrides(loaded.config()), files + (overrides.any() ? " and command-line options" : ""), warnings);
        } catch (IllegalArgumentException e) {
            return new Rejected("command line: " + e.getMessage() + " (over " + files + ")");
        }
    }

    private DabConfig withOverrides(DabConfig c) {
        DebounceSettings debounce = new DebounceSettings(overrides.quietPeriod().orElse(c.debounce().quiet()),
                overrides.maxWait().orElse(overrides.quietPeriod().isPresent() && c.debounce().maxWait().compareTo(overrides.quietPeriod().get()) < 0
                        ? overrides.quietPeriod().get() : c.debounce().maxWait()));
        int parallelism = overrides.parallelBuilds().orElse(c.build().parallelism());
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallel-builds must be at least 1, got " + parallelism);
        }
        return new DabConfig(c.triggers(), debounce, c.deployment(),
                new DabConfig.Build(parallelism, c.build().builder(), c.build().args(), c.build().noCache(), c.build().secrets()),
                c.useGitignore(), overrides.quitTimeout().orElse(c.quitTimeout()), c.watch(), c.http(), c.jsonLog(), c.notifyDesktop(), c.components(), c.name(),
                c.compose());
    }

    @Override
    public boolean isConfigFile(String workspacePath) {
        // a Compose file and its .env are configuration too: an edit reloads them (also when dab.yml names the file)
        boolean compose = ComposeReader.DEFAULT_NAMES.contains(workspacePath) || workspacePath.equals(".env")
                || lastCompose.contains(workspacePath);
        if (explicit.isPresent()) {
            return compose || explicit.get().startsWith(workspace) && PathNames.relative(workspace, explicit.get()).equals(workspacePath);
        }
        return compose || ConfigReader.DEFAULT_NAMES.contains(workspacePath);
    }

    private String shown(Path file) {
        return file.startsWith(workspace) ? PathNames.relative(workspace, file) : file.toString();
    }
}
