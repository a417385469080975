package dev.autorebuild.bench;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 9: the loop a user would write instead, {@code inotifywait -m -r | while read; do docker build; done}
 * and {@code find | entr docker build}, against auto-rebuild, on the same edit script: per round an
 * editor's atomic save, five byte-identical rewrites, a burst of 20 new files and an editor swap file
 * that comes and goes; then a developer's pause. Counted: builds, save → build start, save → the end of
 * the first build that holds the save (what a user waits for: a queued build that starts after the save
 * reads the saved tree, so it holds the save, whatever event queued it), and whether the last image holds
 * the last tree. Every arm writes content of its own, salted per run (the engine's layer cache outlives
 * arms and runs: an arm must never find another's layers).
 */
final class AgainstTheNaiveLoop implements Bench.Scenario {
    private static final int BURST = 20;
    private static final String DOCKERFILE = "FROM busybox:stable\nCOPY . /app/\n";

    @Override
    public String title() {
        return "against inotifywait and entr loops";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        int rounds = context.size(10, 2);
        List<Result> results = new ArrayList<>();
        results.add(autoRebuild(context, rounds));
        results.add(shellLoop(context, rounds, "inotifywait",
                "inotifywait -m -r -q -e close_write,create,delete,moved_to --format '%w%f' web | while read -r f; do ./build.sh; done"));
        results.add(shellLoop(context, rounds, "entr",
                "while true; do find web -type f | entr -dnp ./build.sh; done"));
        return results;
    }

    /** When a round's save happened, on the wall clock (the shell loops log theirs) and the monotonic one (the engine's events). */
    private record Save(long wallNanos, long monoNanos) {}

    /** Content no arm of any run wrote before. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private static String page(String arm, int round) {
        return "round " + round + " " + arm + " " + RUN;
    }

    /** The edit script; returns when each round's save happened. */
    private static List<Save> edit(TestWorkspace ws, String arm, int rounds) throws Exception {
        List<Save> saves = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path temp = ws.root().resolve("web/.index.html.tmp");
            Files.writeString(temp, page(arm, r) + "\n");
            Files.move(temp, ws.root().resolve("web/index.html"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            saves.add(new Save(toNanos(Instant.now()), System.nanoTime()));
            for (int k = 0; k < 5; k++) { // byte-identical rewrites of what is there
                ws.write("web/style.css", Files.readString(ws.root().resolve("web/style.css")));
            }
            for (int k = 0; k < BURST; k++) {
                ws.write("web/assets/r" + r + "_" + k + ".txt", "asset " + r + "/" + k + " " + arm + " " + RUN + "\n");
            }
            ws.write("web/.index.html.swp", "vim swap");
            Files.delete(ws.root().resolve("web/.index.html.swp"));
            Thread.sleep(1500); // the developer looks at the result
        }
        return saves;
    }

    private static TestWorkspace workspace(Bench.Context context, String name) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace(name));
        ws.write("web/Dockerfile", DOCKERFILE).write("web/index.html", "start " + name + " " + RUN + "\n")
                .write("web/style.css", "body { color: black; } /* " + name + " " + RUN + " */\n");
        return ws;
    }

    private Result autoRebuild(Bench.Context context, int rounds) throws Exception {
        TestWorkspace ws = workspace(context, "ours");
        try (InProcessEngine engine = new InProcessEngine(ws.root(), dev.autorebuild.config.FileConfigSource.Overrides.NONE).awaitSettled("web")) {
            int mark = engine.events.mark();
            List<Save> saves = edit(ws, "ours", rounds);
            String digest = ws.expectedDigest("web");
            engine.events.await(mark, RebuildEvent.BuildSucceeded.class, b -> b.digest().equals(digest), InProcessEngine.BUILD);
            List<Long> saveTimes = saves.stream().map(Save::monoNanos).toList();
            List<Long> starts = engine.events.timesSince(mark, RebuildEvent.BuildStarted.class);
            List<long[]> built = engine.events.successfulBuildSpans(mark);
            return result("auto-rebuild", rounds, engine.builds(mark, "web"), latencies(saveTimes, starts),
                    untilHeld(saveTimes, built.stream().map(b -> b[0]).toList(), built.stream().map(b -> b[1]).toList()),
                    finalImageMatches(ws, ws.root().getFileName() + "-web:latest", "ours", rounds));
        }
    }

    private Result shellLoop(Bench.Context context, int rounds, String tool, String loop) throws Exception {
        TestWorkspace ws = workspace(context, tool);
        String image = "dab-bench-naive-" + tool + ":latest";
        Path log = ws.root().resolve("builds.log");
        Path build = ws.root().resolve("build.sh");
        Files.writeString(build, "#!/bin/sh\necho \"start $(date +%s%N)\" >> builds.log\nDOCKER_BUILDKIT=0 docker build -q -t " + image
                + " web >/dev/null 2>&1\necho \"end $(date +%s%N)\" >> builds.log\n");
        Files.setPosixFilePermissions(build, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(log, "");
        Process loopProcess = new ProcessBuilder("setsid", "bash", "-c", loop).directory(ws.root().toFile())
                .redirectErrorStream(true).redirectOutput(ws.root().resolve("loop.out").toFile()).start();
        try {
            Thread.sleep(1000); // the watcher registers its watches
            List<Save> saves = edit(ws, tool, rounds);
            awaitQuiet(log, Duration.ofSeconds(5), Duration.ofMinutes(5));
            List<String> lines = Files.readAllLines(log);
            List<Long> starts = lines.stream().filter(l -> l.startsWith("start ")).map(l -> Long.parseLong(l.substring(6))).toList();
            List<Long> ends = lines.stream().filter(l -> l.startsWith("end ")).map(l -> Long.parseLong(l.substring(4))).toList();
            List<Long> saveTimes = saves.stream().map(Save::wallNanos).toList();
            boolean matches = !starts.isEmpty() && finalImageMatches(ws, image, tool, rounds);
            return result(tool + " loop", rounds, starts.size(), latencies(saveTimes, starts), untilHeld(saveTimes, starts, ends), matches);
        } finally {
            new ProcessBuilder("kill", "--", "-" + loopProcess.pid()).start().waitFor();
            loopProcess.destroyForcibly().waitFor();
            new ProcessBuilder("docker", "rmi", "-f", image).redirectErrorStream(true).start().waitFor();
        }
    }

    private static Result result(String who, int rounds, long builds, List<Double> latencies, List<Double> held, boolean finalMatches) {
        Stats s = Stats.of(latencies);
        Stats h = Stats.of(held);
        return new Result("9 naive loop", who + ", " + rounds + " rounds",
                String.format(Locale.ROOT, "%d builds; save -> build start %s; save -> built image holding the save %s; last image %s", builds,
                        s.ms(), h.ms(), finalMatches ? "holds the last tree" : "MISSES changes"),
                "auto-rebuild: 1 build a round, no misses", who.equals("auto-rebuild") ? builds == rounds && finalMatches : null);
    }

    /** For each save, the time until the first build that started after it. */
    private static List<Double> latencies(List<Long> saves, List<Long> starts) {
        List<Double> out = new ArrayList<>();
        for (long save : saves) {
            starts.stream().filter(s -> s >= save).findFirst().ifPresent(s -> out.add((s - save) / 1e6));
        }
        return out;
    }

    /**
     * For each save, the time until the end of the first build that started after it and produced an
     * image: that build read the saved tree. {@code starts} and {@code ends} pair up by index (builds run
     * one at a time in every arm; auto-rebuild's cancelled builds are left out by the caller).
     */
    private static List<Double> untilHeld(List<Long> saves, List<Long> starts, List<Long> ends) {
        List<Double> out = new ArrayList<>();
        for (long save : saves) {
            for (int i = 0; i < starts.size() && i < ends.size(); i++) {
                if (starts.get(i) >= save) {
                    out.add((ends.get(i) - save) / 1e6);
                    break;
                }
            }
        }
        return out;
    }

    private static boolean finalImageMatches(TestWorkspace ws, String image, String arm, int rounds) throws Exception {
        String inImage = DockerEngine.runIn(image, "cat /app/index.html; ls /app/assets | wc -l");
        return inImage.equals(page(arm, rounds - 1) + "\n" + rounds * BURST);
    }

    private static void awaitQuiet(Path log, Duration quiet, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        long lastChange = System.nanoTime();
        long size = -1;
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(log);
            if (Files.size(log) != size) {
                size = Files.size(log);
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos() && (lines.isEmpty() || lines.get(lines.size() - 1).startsWith("end"))) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static long toNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
