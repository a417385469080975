package dev.autorebuild.support;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles src/test/native/wallclock-shift.c, the preload library that moves a process's wall clock by
 * the seconds in the file named by {@code WALLCLOCK_OFFSET_FILE}. Needs a C compiler (Debian's gcc; the
 * machine kind has it and .ci/run installs it where missing): a missing one fails the test.
 */
public final class WallClockShift {
    private static final Path SOURCE = Path.of("src/test/native/wallclock-shift.c");

    private WallClockShift() {}

    /** Builds the library into {@code dir} and returns its path, for {@code LD_PRELOAD}. */
    public static Path library(Path dir) throws IOException, InterruptedException {
        Path library = dir.resolve("wallclock-shift.so").toAbsolutePath();
        Command cc = Command.run(java.time.Duration.ofSeconds(60), "cc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o",
                library.toString(), SOURCE.toAbsolutePath().toString(), "-ldl");
        assertThat(cc.exitCode()).as("cc compiles %s (apt-get install gcc; .ci/run does): %s", SOURCE, cc.output()).isZero();
        return library;
    }
}
