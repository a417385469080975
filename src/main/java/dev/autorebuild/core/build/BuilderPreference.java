package dev.autorebuild.core.build;

import java.util.Arrays;
import java.util.Optional;

/** dab.yml's {@code build.builder}: which builder to use, or {@code auto} to let the engine's abilities decide. */
public enum BuilderPreference {
    /** BuildKit whenever the engine can (a Linux engine, API 1.39 or later, and a probe build that it accepts); else classic. */
    AUTO,
    BUILDKIT,
    CLASSIC;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<BuilderPreference> of(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }
}
