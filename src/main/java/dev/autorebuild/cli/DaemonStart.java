package dev.autorebuild.cli;

import dev.autorebuild.daemon.DabDir;
import dev.autorebuild.daemon.DaemonLauncher;
import dev.autorebuild.daemon.PidFile;
import dev.autorebuild.daemon.ProcessStart;
import dev.autorebuild.daemon.WorkspaceLock;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code auto-rebuild -t DIR}: starts the workspace's daemon in the background and returns once it watches. */
final class DaemonStart {
    /** A start registers every folder before it reports ready; a very big tree takes a while. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /**
     * A small heap collector suits a mostly idle, long-running process, and a small initial heap keeps its
     * resident memory small (the default initial heap, 1/64 of the machine's memory, gets touched
     * before the first collection: 185 MB RSS against 134 MB, bench/ scenario 5). C1-only would save
     * more, but makes SHA-256 ten times slower. Giving memory back after a burst (Housekeeping runs a
     * full collection once it is over): MaxHeapFreeRatio=40 keeps at most 40 % of the heap free after
     * it (the default 70 % kept a burst's heap for ever), -ShrinkHeapInSteps shrinks at once instead of
     * over four collections, and TrimNativeHeapInterval has the JVM return freed malloc memory every 30 s
     * (a JDK 17.0.9+ option: IgnoreUnrecognizedVMOptions keeps an older JDK starting without it).
     * NewRatio=4 sizes the young generation at a quarter of the old one, not half: once a burst is over
     * the young generation is a third of the heap otherwise (14 of 42 MB on 100,000 files), every page of
     * it touched. It costs no collection time: 15 one-file builds of a 200-file context made 38 young
     * collections instead of 23, for 105-125 ms of pauses in all against 124-141 ms (-Xlog:gc, two runs each).
     * -UsePerfData: the JVM's performance-counter sampler (for jstat and jps) wakes 20 times a second,
     * and was most of an idle daemon's CPU: 155 of 284 ms over 90 s idle on 10,000 folders; without it
     * the daemon used 120 ms (0.13 % of a core against 0.32 %). jcmd still reaches the daemon by its pid.
     * Tier3 thresholds ten times the JVM's defaults: a method is compiled by the quick compiler (C1, with
     * profiling code) after 2,000 calls instead of 200. The daemon runs most of its code once per save,
     * build or request, so the defaults compiled thousands of such methods, and kept 8.4-8.7 MB of
     * profiled code after a burst on 100,000 files; with these 3.4 MB, and 138 MB resident a minute after
     * the burst against 145-148 MB (two runs each). Loops (hashing, transfers) still compile as soon as
     * before (the back-edge thresholds are the defaults), the start took as long (median 1.88 s against
     * 1.87 s, four each), and so did the burst's builds.
     * AUTO_REBUILD_DAEMON_JAVA_OPTS adds to these.
     */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms24m", "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:MaxHeapFreeRatio=40", "-XX:MinHeapFreeRatio=20", "-XX:-ShrinkHeapInSteps", "-XX:NewRatio=4", "-XX:TrimNativeHeapInterval=30000",
            "-XX:-UsePerfData", "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000",
            "-Dquarkus.log.console.format=%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p %s%e%n");

    private DaemonStart() {}

    static int start(Path workspace, List<String> daemonArgs, PrintWriter out, PrintWriter err) throws Exception {
        DabDir dab = DabDir.of(workspace);
        Optional<ProcessStart> holder;
        try {
            holder = WorkspaceLock.holder(dab);
        } catch (java.nio.file.AccessDeniedException e) {
            err.println("auto-rebuild: " + anotherUsers(dab, e) + "; a daemon of theirs may be watching " + workspace);
            return 1;
        }
        if (holder.isPresent()) {
            err.println("auto-rebuild: " + alreadyWatched(workspace, holder));
            return 1;
        }
        List<String> extra = new ArrayList<>();
        String extraText = System.getenv("AUTO_REBUILD_DAEMON_JAVA_OPTS");
        if (extraText != null && !extraText.isBlank()) {
            extra.addAll(Arrays.asList(extraText.trim().split("\\s+")));
        }
        DaemonLauncher.Outcome outcome = DaemonLauncher.start(dab, JVM_OPTIONS, extra, daemonArgs, READY_TIMEOUT);
        if (outcome instanceof DaemonLauncher.Ready ready) {
            boolean engineDown = ready.engine().number("downSince", -1) >= 0;
            out.print(readyText(workspace, ready.pid(), ready.log(), engineDown ? Optional.of(ready.engine().text()) : Optional.empty()));
            return 0;
        }
        if (outcome instanceof DaemonLauncher.Refused refused) {
            err.print(refused.message());
            err.flush();
            return 1;
        }
        DaemonLauncher.Failed failed = (DaemonLauncher.Failed) outcome;
        err.println("auto-rebuild: " + failed.reason());
        if (!failed.logTail().isEmpty()) {
            err.println("last lines of " + dab.logFile() + ":");
            failed.logTail().forEach(line -> err.println("  " + line));
        }
        return 1;
    }

    /**
     * What a start prints once its daemon watches, whichever started it: this launcher, or the daemon itself
     * for bin/auto-rebuild ({@link dev.autorebuild.daemon.StartReport}).
     *
     * @param engineProblem why the engine does not answer, when it does not
     */
    static String readyText(Path workspace, long pid, Path log, Optional<String> engineProblem) {
        return "auto-rebuild: daemon " + pid + " is watching " + workspace + "\n"
                + "  log:     " + log + "\n"
                + "  control: auto-rebuild -s status|redeploy|reload|quit|stop -t " + workspace + "\n"
                + engineProblem.map(problem -> engineParagraph(problem) + "\n").orElse("");
    }

    /** A newcomer without an engine sees why nothing builds, where we looked and what to do: one paragraph. */
    static String engineParagraph(String problem) {
        return "\nauto-rebuild: no Docker engine answers at " + problem + ".\n"
                + "  To fix it: " + dev.autorebuild.docker.EngineProblems.advice(problem) + ".\n"
                + "  The daemon keeps watching and records every change; it builds as soon as the engine answers\n"
                + "  (auto-rebuild -s status shows the engine's state).";
    }

    /** The state folder of a daemon that is not ours: we may neither see nor control it. */
    static String anotherUsers(DabDir dab, java.nio.file.AccessDeniedException e) {
        return dab.dir() + " belongs to another user (" + e.getFile() + " cannot be opened)";
    }

    static String alreadyWatched(Path workspace, Optional<ProcessStart> holder) {
        String who = holder.filter(h -> h.pid() > 0).map(h -> "daemon " + h.pid())
                .or(() -> PidFile.read(DabDir.of(workspace).pidFile()).map(pid -> "daemon " + pid))
                .orElse("another daemon");
        return workspace + " is already watched by " + who + "; see it with 'auto-rebuild -s status -t " + workspace
                + "', end it with 'auto-rebuild -s quit -t " + workspace + "'";
    }
}
