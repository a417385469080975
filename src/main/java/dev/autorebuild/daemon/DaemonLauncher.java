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
import java.util.Optional;

/**
 * Starts the daemon as a detached child and waits until it is watching. The JVM cannot fork, so the
 * child is a new JVM: {@code sh -c '(umask 027; exec setsid java …) & echo $!'} gives it its own session (no
 * controlling terminal: closing the terminal or a SIGHUP to the launcher's group does not reach it),
 * stdin from /dev/null, and stdout/stderr appended to the log, never a pipe to this process, which may
 * exit at once. Not {@code nohup}: it would make the daemon deaf to SIGHUP, its reload command.
 * <p>
 * The shell runs the daemon in the background and ends at once, handing over its pid: while a direct child
 * of a JVM lives, the JVM's process reaper waits for it in native code, and a JVM's exit waits 300 ms for
 * such threads. The launcher then took 0.33 s to exit after printing that the daemon watches.
 */
public final class DaemonLauncher {
    private static final int LOG_TAIL_LINES = 25;
    /**
     * How often the launcher asks whether the daemon answers yet. Until its socket exists an attempt is
     * one failed connect, so asking often costs nothing and the start returns sooner after "watching".
     */
    private static final Duration POLL = Duration.ofMillis(10);
    /**
     * The readiness question. The start reports whether the engine answers, so asking that directly
     * saves the daemon, busy hashing its workspace by then, a second request.
     */
    private static final ControlRequest READY_QUESTION = ControlRequest.of("engine");
    /**
     * umask 027 and a new session, as the seed's daemon context asks. Signals ignored by whoever ran
     * us (a background job of a script ignores SIGINT) stay ignored across exec, and the JVM then
     * silently refuses to handle them: perl (Debian's perl-base is essential) resets the daemon's
     * command signals to their defaults before exec'ing java, keeping the pid. bin/auto-rebuild's
     * {@code start_daemon_here} starts the daemon the same way, in bash: change both together.
     */
    private static final String LAUNCH = "log=$1; shift; ( umask 027 && if command -v perl >/dev/null 2>&1; then "
            + "exec setsid perl -e '$SIG{$_} = \"DEFAULT\" for qw(INT HUP TERM USR1); exec {$ARGV[0]} @ARGV or die \"cannot run $ARGV[0]: $!\\n\"' \"$@\"; "
            + "else exec setsid \"$@\"; fi ) </dev/null >>\"$log\" 2>&1 & echo $!";

    private DaemonLauncher() {}

    public sealed interface Outcome {}

    /** @param engine the daemon's answer about its engine (a {@code downSince} number when it does not answer) */
    public record Ready(long pid, Path log, ControlReply engine) implements Outcome {}

    public record Failed(String reason, List<String> logTail) implements Outcome {}

    /** The daemon checked the configuration and the engine and will not watch: {@code message} says why ({@link StartRefusal}). */
    public record Refused(String message) implements Outcome {}

    /**
     * @param jvmOptions      options for the daemon's JVM, the same at every start of this build of the application
     *                        ({@link DaemonArgFile} keeps them for bin/auto-rebuild)
     * @param extraJvmOptions options of this start only (AUTO_REBUILD_DAEMON_JAVA_OPTS), after the others
     * @param appArgs         the application's arguments for the daemon (with {@code --foreground})
     */
    public static Outcome start(DabDir dab, List<String> jvmOptions, List<String> extraJvmOptions, List<String> appArgs, Duration readyTimeout)
            throws IOException, InterruptedException {
        Path jar = applicationJar();
        Path log = dab.createLog();
        long logStart = Files.size(log);
        StartRefusal.clear(dab);
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCH, "auto-rebuild", log.toString()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(classDataOptions(jar));
        Optional<Path> argFile = DaemonArgFile.written(jar, jvmOptions);
        if (argFile.isPresent()) {
            command.add("@" + argFile.get());
        } else {
            command.addAll(CompilerDirectives.options(dab));
            command.addAll(jvmOptions);
        }
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(appArgs);
        ProcessBuilder launch = new ProcessBuilder(command);
        // glibc gives each thread that mallocs an arena of its own (up to 8 per core) and keeps what it
        // freed there: a week-long daemon's resident size creeps up with them. Two are plenty here.
        launch.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process shell = launch
                .directory(dab.workspace().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String pidLine = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        shell.waitFor();
        Optional<ProcessHandle> started = pidLine.matches("\\d+") ? ProcessHandle.of(Long.parseLong(pidLine)) : Optional.empty();
        if (started.isEmpty()) {
            return new Failed("the daemon could not be started (" + (pidLine.isEmpty() ? "no process" : pidLine) + ")", tail(log, logStart));
        }
        ProcessHandle daemon = started.get();
        rehearseTheQuestion();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ended(daemon)) {
                Optional<String> refused = StartRefusal.read(dab);
                if (refused.isPresent()) {
                    return new Refused(refused.get());
                }
                return new Failed("the daemon (pid " + daemon.pid() + ") ended while starting", tail(log, logStart));
            }
            // the socket is the workspace's: another start's daemon may answer on it while ours finds the lock taken
            Optional<ControlReply> engine = answer(dab).filter(reply -> reply.number("pid", daemon.pid()) == daemon.pid());
            if (engine.isPresent()) {
                return new Ready(daemon.pid(), log, engine.get());
            }
            Thread.sleep(POLL.toMillis());
        }
        return new Failed("the daemon (pid " + daemon.pid() + ") is not watching after " + readyTimeout.toSeconds()
                + " s; it keeps starting in the background: see " + log, tail(log, logStart));
    }

    /**
     * This JVM waits a second or more for its daemon to boot, and then asks it a question in JSON. Writing
     * that question and reading a reply once now, while it waits, takes the JSON library's class loading
     * (jackson-core's classes are not in the class-data archive) off the way from "watching" to the
     * start's return: 73 classes there, 25 of them read from their jar.
     */
    private static void rehearseTheQuestion() {
        try {
            ControlReply.parse(new ControlReply(true, READY_QUESTION.toJson(), java.util.Map.of("downSince", 0L)).toJson());
        } catch (MalformedControlMessage e) {
            throw new IllegalStateException("the control protocol cannot read its own reply", e);
        }
    }

    /**
     * A daemon that ended is a zombie until whoever inherited it (init, as the shell that started it has
     * ended) reaps it, and the JDK counts a zombie as alive. Not every init reaps at once: a container's or
     * a sandbox's first process may take a second or more (1.2 s measured here), which a refused start
     * would wait out before saying why.
     */
    static boolean ended(ProcessHandle process) {
        return !process.isAlive() || ProcessStart.isZombie(process.pid());
    }

    private static Optional<ControlReply> answer(DabDir dab) {
        try {
            return Optional.of(ControlSocket.ask(dab, READY_QUESTION, Duration.ofSeconds(10))).filter(ControlReply::ok);
        } catch (IOException e) {
            return Optional.empty(); // not listening yet
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

    /**
     * The daemon maps the classes it loads while starting from a class-data archive (AppCDS) when
     * bin/auto-rebuild has made one for this build of the application: 0.6-0.7 s less from start to
     * watching on a 2-core machine (bench/ scenario 5). The archive's name carries the jar's time, so a
     * rebuilt application never meets an old archive; a JVM that cannot use it (another JDK) ignores it
     * silently ({@code -Xshare:auto} with the class-data log off).
     */
    static List<String> classDataOptions(Path jar) throws IOException {
        Path archive = jar.resolveSibling("daemon-" + DaemonArgFile.stamp(jar) + ".jsa");
        if (!Files.isReadable(archive)) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
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
