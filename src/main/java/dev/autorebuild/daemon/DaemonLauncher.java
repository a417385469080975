package dev.autorebuild.daemon;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the daemon as a detached child and waits until it is watching. The JVM cannot fork, so the
 * child is a new JVM: {@code sh -c 'umask 027; exec setsid java …'} gives it its own session (no
 * controlling terminal: closing the terminal or a SIGHUP to the launcher's group does not reach it),
 * stdin from /dev/null, and stdout/stderr appended to the log, never a pipe to this process, which may
 * exit at once. Not {@code nohup}: it would make the daemon deaf to SIGHUP, its reload command.
 */
public final class DaemonLauncher {
    private static final int LOG_TAIL_LINES = 25;
    /**
     * umask 027 and a new session, as the seed's daemon context asks. Signals ignored by whoever ran
     * us (a background job of a script ignores SIGINT) stay ignored across exec, and the JVM then
     * silently refuses to handle them: perl (Debian's perl-base is essential) resets the daemon's
     * command signals to their defaults before exec'ing java, keeping the pid.
     */
    private static final String LAUNCH = "umask 027 && if command -v perl >/dev/null 2>&1; then "
            + "exec setsid perl -e '$SIG{$_} = \"DEFAULT\" for qw(INT HUP TERM USR1); exec {$ARGV[0]} @ARGV or die \"cannot run $ARGV[0]: $!\\n\"' \"$@\"; "
            + "else exec setsid \"$@\"; fi";

    private DaemonLauncher() {}

    public sealed interface Outcome {}

    public record Ready(long pid, Path log) implements Outcome {}

    public record Failed(String reason, List<String> logTail) implements Outcome {}

    /**
     * @param jvmOptions options for the daemon's JVM
     * @param appArgs    the application's arguments for the daemon (with {@code --foreground})
     */
    public static Outcome start(DabDir dab, List<String> jvmOptions, List<String> appArgs, Duration readyTimeout)
            throws IOException, InterruptedException {
        Path jar = applicationJar();
        Path log = dab.createLog();
        long logStart = Files.size(log);
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCH, "auto-rebuild"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(appArgs);
        ProcessBuilder launch = new ProcessBuilder(command);
        // glibc gives each thread that mallocs an arena of its own (up to 8 per core) and keeps what it
        // freed there: a week-long daemon's resident size creeps up with them. Two are plenty here.
        launch.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process daemon = launch
                .directory(dab.workspace().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                return new Failed("the daemon exited with status " + daemon.exitValue() + " while starting", tail(log, logStart));
            }
            if (answersPing(dab)) {
                return new Ready(daemon.pid(), log);
            }
            daemon.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return new Failed("the daemon (pid " + daemon.pid() + ") is not watching after " + readyTimeout.toSeconds()
                + " s; it keeps starting in the background: see " + log, tail(log, logStart));
    }

    private static boolean answersPing(DabDir dab) {
        try {
            return ControlSocket.ask(dab, ControlRequest.of("ping"), java.time.Duration.ofSeconds(10)).ok();
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** The packaged application this JVM runs from; the daemon is started from the same jar. */
    static Path applicationJar() {
        String[] classPath = System.getProperty("java.class.path", "").split(File.pathSeparator);
        if (classPath.length == 1 && classPath[0].endsWith(".jar")) {
            return Path.of(classPath[0]).toAbsolutePath().normalize();
        }
        throw new IllegalStateException("starting a background daemon needs the packaged application "
                + "(bin/auto-rebuild or java -jar target/quarkus-app/quarkus-run.jar); class path is " + Arrays.toString(classPath));
    }

    /** The last lines the daemon wrote to its log during this start. */
    static List<String> tail(Path log, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(from, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        }
    }
}
