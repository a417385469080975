package dev.autorebuild.core.debounce;

import java.time.Duration;
import java.util.Objects;

/**
 * @param quiet   a window closes once no item arrived for this long
 * @param maxWait a window closes at the latest this long after its first item, so a steady stream of
 *                writes cannot starve a build
 */
public record DebounceSettings(Duration quiet, Duration maxWait) {
    public static final DebounceSettings DEFAULT = new DebounceSettings(Duration.ofMillis(50), Duration.ofSeconds(2));

    public DebounceSettings {
        Objects.requireNonNull(quiet, "quiet");
        Objects.requireNonNull(maxWait, "maxWait");
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("the quiet period cannot be negative: " + quiet);
        }
        if (maxWait.compareTo(quiet) < 0) {
            throw new IllegalArgumentException(
                    "the maximum wait (" + maxWait.toMillis() + "ms) must be at least the quiet period (" + quiet.toMillis() + "ms)");
        }
    }
}
