package dev.autorebuild.engine;

import dev.autorebuild.core.config.DabConfig;

/**
 * Where the engine gets its configuration, and reads it again on a reload. The adapter reads the
 * user's dab.yml and applies command-line overrides; the engine never sees files or YAML.
 */
public interface ConfigSource {

    sealed interface Result permits Loaded, Rejected {}

    /**
     * @param origin   what was read, for log lines ("dab.yml", "defaults")
     * @param warnings what was taken but deserves a word ({@code file:line:column: message}): said once each
     */
    record Loaded(DabConfig config, String origin, java.util.List<String> warnings) implements Result {
        public Loaded(DabConfig config, String origin) {
            this(config, origin, java.util.List.of());
        }
    }

    /** @param problems one {@code file:line:column: message} per line */
    record Rejected(String problems) implements Result {}

    Result load();

    /** Whether a change to this workspace-relative path is a change of the configuration file. */
    boolean isConfigFile(String workspacePath);

    /** Always the given configuration (tests, and the engine's defaults). */
    static ConfigSource fixed(DabConfig config) {
        return new ConfigSource() {
            @Override
            public Result load() {
                return new Loaded(config, "defaults");
            }

            @Override
            public boolean isConfigFile(String workspacePath) {
                return false;
            }
        };
    }
}
