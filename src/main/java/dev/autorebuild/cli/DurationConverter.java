package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Lets options take durations as people write them (500ms, 2s, 1h30m). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
