package dev.autorebuild.engine;

import dev.autorebuild.core.debounce.DebounceSettings;

import java.util.Objects;

/**
 * @param debounce        per-component quiet period and maximum wait
 * @param buildParallelism how many components may build at once
 */
public record EngineSettings(DebounceSettings debounce, int buildParallelism) {
    public static final EngineSettings DEFAULT = new EngineSettings(DebounceSettings.DEFAULT, 2);

    public EngineSettings {
        Objects.requireNonNull(debounce, "debounce");
        if (buildParallelism < 1) {
            throw new IllegalArgumentException("build parallelism must be at least 1, got " + buildParallelism);
        }
    }
}
