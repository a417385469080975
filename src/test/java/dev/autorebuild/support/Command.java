package dev.autorebuild.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to completion within a bound: its output goes to files and is read after it
 * ends, so a child that hangs fails the test at the bound instead of blocking a read for ever.
 *
 * @param output what it printed on stdout (and stderr too, unless {@link #runSplit} kept them apart)
 * @param errors what it printed on stderr, when kept apart; else empty
 */
public record Command(int exitCode, String output, String errors) {

    public static Command run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, List.of(command), null);
    }

    /** stdout and stderr together, stdin empty. */
    public static Command run(Duration limit, List<String> command, Path workingDir) throws IOException, InterruptedException {
        return execute(limit, command, workingDir, null, true);
    }

    /** stdout and stderr apart, {@code input} on stdin. */
    public static Command runSplit(Duration limit, List<String> command, Path workingDir, String input) throws IOException, InterruptedException {
        return execute(limit, command, workingDir, input, false);
    }

    private static Command execute(Duration limit, List<String> command, Path workingDir, String input, boolean merge)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("command", ".out");
        Path err = Files.createTempFile("command", ".err");
        Path in = Files.createTempFile("command", ".in");
        try {
            Files.writeString(in, input == null ? "" : input);
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectInput(in.toFile());
            if (merge) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err.toFile());
            }
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + limit + "; its output so far:\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }
}
