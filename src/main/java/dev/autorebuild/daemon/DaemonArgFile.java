package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The daemon JVM's options as a Java argument file ({@code java @FILE}) beside the application jar, one per
 * build of it ({@code daemon-STAMP.args}, STAMP being the jar's time in seconds, as for the class-data
 * archives), with the compiler directives it names beside it. Every background start writes it when it is
 * missing or differs; bin/auto-rebuild then starts the daemon itself from it, without a launcher JVM on the
 * way (the launcher JVM took 0.17 s before it could start the daemon: bench/ scenario 5). Written to a
 * temporary file and renamed, so a start meanwhile reads a whole file or none.
 */
public final class DaemonArgFile {
    private DaemonArgFile() {}

    /** {@code jar}'s build stamp: its modification time in whole seconds, as bin/auto-rebuild reads it ({@code find -printf %Ts}). */
    static long stamp(Path jar) throws IOException {
        return Files.getLastModifiedTime(jar).toMillis() / 1000;
    }

    /**
     * The file for {@code jvmOptions} (with the compiler directives first), written if needed; empty when the
     * jar's folder cannot be written (an installation read-only to this user), and the options go inline.
     */
    static Optional<Path> written(Path jar, List<String> jvmOptions) {
        try {
            long stamp = stamp(jar);
            List<String> options = new ArrayList<>(CompilerDirectives.options(jar.resolveSibling("daemon-" + stamp + ".directives.json")));
            if (options.isEmpty()) {
                return Optional.empty();
            }
            options.addAll(jvmOptions);
            Path file = jar.resolveSibling("daemon-" + stamp + ".args");
            String text = text(options);
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), text.getBytes(StandardCharsets.UTF_8))) {
                DabDir.writeAtomically(file, text, DabDir.PID_MODE);
            }
            return Optional.of(file);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One option a line, each quoted: inside quotes the java launcher reads a backslash as an escape. */
    static String text(List<String> options) {
        StringBuilder text = new StringBuilder();
        for (String option : options) {
            text.append('"').append(option.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return text.toString();
    }
}
