package dev.autorebuild.support;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (target/quarkus-app) run as a user runs it: a real {@code java -jar}
 * process. Each test gets its own {@code XDG_RUNTIME_DIR}, so the per-user daemon registry the
 * processes share is the test's alone.
 */
public final class PackagedApp {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    private final Path runtimeDir;

    public PackagedApp(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
    }

    public Path runtimeDir() {
        return runtimeDir;
    }

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the application with {@code args} in {@code cwd} and waits for it (at most 3 minutes). */
    public Result run(Path cwd, String... args) throws IOException, InterruptedException {
        return finish(builder(cwd, args), args);
    }

    /** Runs the application as {@link #run} does, with {@code env} added to its environment (and its daemon's). */
    public Result runWith(Map<String, String> env, Path cwd, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(cwd, args);
        builder.environment().putAll(env);
        return finish(builder, args);
    }

    /** The README's front door: {@code bin/auto-rebuild} itself, which takes its own path for a command to a running daemon. */
    public static final Path LAUNCHER = Path.of("bin/auto-rebuild").toAbsolutePath();

    /** Runs {@code bin/auto-rebuild} with {@code args} in {@code cwd} and waits for it (at most 3 minutes). */
    public Result runLauncher(Path cwd, String... args) throws IOException, InterruptedException {
        return runLauncherWith(Map.of(), cwd, args);
    }

    /** Runs {@code bin/auto-rebuild} as {@link #runLauncher} does, with {@code env} added to its environment. */
    public Result runLauncherWith(Map<String, String> env, Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().put("XDG_RUNTIME_DIR", runtimeDir.toString());
        builder.environment().putAll(env);
        return finish(builder, args);
    }

    private Result finish(ProcessBuilder builder, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("app", ".out");
        Path err = Files.createTempFile("app", ".err");
        try {
            // Output to files, not pipes: a daemon the command starts must not hold our pipes open.
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Assertions.assertTrue(process.waitFor(3, TimeUnit.MINUTES), "auto-rebuild " + String.join(" ", args) + " did not finish");
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public ProcessBuilder builder(Path cwd, String... args) {
        Assertions.assertTrue(Files.exists(JAR), "package the application first (mvn package): " + JAR);
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = builder.environment();
        env.put("XDG_RUNTIME_DIR", runtimeDir.toString());
        return builder;
    }
}
