package dev.autorebuild.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to completion within a bound: its output goes to a file and is read after it
 * ends, so a child that hangs fails the test at the bound instead of blocking a read for ever.
 */
public record Command(int exitCode, String output) {

    public static Command run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, List.of(command), null);
    }

    public static Command run(Duration limit, List<String> command, Path workingDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("command", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + limit + "; its output so far:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
