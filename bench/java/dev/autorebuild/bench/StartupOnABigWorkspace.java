package dev.autorebuild.bench;

import dev.autorebuild.support.Dashboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 5: the background start on 10,000 folders / 100,000 files in 5 components: until watching
 * (the start command returns then), the engine's own setup against the JDK's bare registration of the
 * same tree, and memory once watching and once every component is hashed and built.
 */
final class StartupOnABigWorkspace implements Bench.Scenario {
    private static final Pattern READY = Pattern.compile("\\(ready in ([0-9.]+)(ms|s)\\)");
    private static final int COMPONENTS = 5;
    /** Starts timed: one is too few to tell a change from the machine's noise (2.2-2.8 s by hand on one tree). */
    private static final int STARTS = 7;

    /**
     * One start in 21 took 22.9 s in session 25's first run and none of the next 14 did: a start that slow
     * leaves the daemon's log with the figures, to say where the time went next time.
     */
    private static void reportIfSlow(Daemon daemon) throws java.io.IOException {
        if (daemon.startSeconds > 5) {
            List<String> lines = daemon.log().lines().toList();
            System.err.printf(Locale.ROOT, "bench:   a start took %.1f s; its daemon's log ends:%n", daemon.startSeconds);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> System.err.println("bench:     " + l));
        }
    }

    @Override
    public String title() {
        return "start-up on a big workspace";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        int folders = context.size(10_000, 100);
        int files = context.size(100_000, 1_000);
        // a name no user's workspace has (its images are dab-bench-big-c0 and so on): the daemon rightly refuses to
        // replace another workspace's images, and a hand-made workspace named "big" once failed the scenario
        Path root = BigWorkspace.create(context.workspace("dab-bench-big"), COMPONENTS, folders, files);
        double plainBefore = BigWorkspace.plainRegistrationSeconds(root);
        List<Double> starts = new java.util.ArrayList<>();
        for (int i = 1; i < STARTS; i++) {
            Daemon earlier = Daemon.start(root); // stopped while it hashes: each start finds the same tree and images
            starts.add(earlier.startSeconds);
            reportIfSlow(earlier);
            earlier.stop();
        }
        try (Daemon daemon = Daemon.start(root)) {
            starts.add(daemon.startSeconds);
            reportIfSlow(daemon);
            double rssWatching = Machine.rssMb(daemon.pid);
            double heapWatching = daemon.heapMb();
            Matcher ready = READY.matcher(daemon.log());
            double setup = !ready.find() ? Double.NaN
                    : Double.parseDouble(ready.group(1)) / (ready.group(2).equals("ms") ? 1000.0 : 1.0); // as the log writes it: 830ms, 1.2s
            long settling = System.nanoTime();
            awaitAllIdle(daemon);
            double settledAfter = (System.nanoTime() - settling) / 1e9;
            double rssSettled = Machine.rssMb(daemon.pid);
            double heapSettled = daemon.heapMb();
            // issue 17: back under 150 MB within a minute of a burst (a benchmark may wait out a minute)
            Thread.sleep(context.size(60_000, 1_000));
            double rssMinuteLater = Machine.rssMb(daemon.pid);
            double heapMinuteLater = daemon.heapMb();
            // the baseline is the registration measured before the daemon held any watch, in this run (issue 17):
            // measured while the daemon holds 10,000 watches it would not be the same kernel work
            double plain = plainBefore;
            daemon.stop();
            // a restart on the same tree: every image is up to date, so the burst is hashing alone (the
            // common restart of a big workspace), which the idle trim once let keep 70-83 MB of heap
            double rssRestart;
            double heapRestart;
            try (Daemon again = Daemon.start(root)) {
                awaitAllIdle(again);
                Thread.sleep(context.size(60_000, 1_000));
                rssRestart = Machine.rssMb(again.pid);
                heapRestart = again.heapMb();
            }
            String tree = folders + " folders / " + files + " files";
            Stats start = Stats.of(starts);
            return List.of(
                    new Result("5 start-up", "start command until watching, " + tree, String.format(Locale.ROOT,
                            "p50 %.2f s, p99 %.2f s, min %.2f s (n=%d, in order: %s; bin/auto-rebuild as typed: the daemon's JVM and its runtime boot included)",
                            start.median(), start.p99(), start.min(), start.n(),
                            String.join(" ", starts.stream().map(t -> String.format(Locale.ROOT, "%.2f", t)).toList())),
                            "p50 <= 2 s (issue 17)", start.median() <= 2),
                    // since session 10 the folders are registered while the runtime boots (EarlyWatch): the engine's
                    // own setup is what is left of that after the boot, no longer the registration itself
                    Result.info("5 start-up", "engine setup once the runtime booted (registration overlapped with the boot) / plain JDK WatchService registration",
                            String.format(Locale.ROOT, "%.2f s / %.2f s", setup, plain)),
                    Result.info("5 start-up", "hashing and first builds, after watching",
                            String.format(Locale.ROOT, "done %.1f s after the start returned (in the background: watching never waits for hashing)", settledAfter)),
                    new Result("5 start-up", "RSS / heap once watching", String.format(Locale.ROOT, "%.0f MB / %.0f MB", rssWatching, heapWatching),
                            "RSS <= 150 MB", rssWatching <= 150),
                    Result.info("5 start-up", "RSS / heap once all hashed and built (the burst's peak)",
                            String.format(Locale.ROOT, "%.0f MB / %.0f MB", rssSettled, heapSettled)),
                    new Result("5 start-up", "RSS / heap a minute after the burst", String.format(Locale.ROOT, "%.0f MB / %.0f MB", rssMinuteLater,
                            heapMinuteLater), "RSS <= 150 MB", rssMinuteLater <= 150),
                    new Result("5 start-up", "RSS / heap a minute after a restart's hashing (images up to date, no build)",
                            String.format(Locale.ROOT, "%.0f MB / %.0f MB", rssRestart, heapRestart), "RSS <= 150 MB", rssRestart <= 150));
        }
    }

    /** Waits until every component has its image (built or found up to date) and none is building or queued. */
    static void awaitAllIdle(Daemon daemon) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(15).toNanos();
        Dashboard d = daemon.dashboard();
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(d.base() + "/api/components"))
                .header("Authorization", "Bearer " + d.token()).build();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (System.nanoTime() < deadline) {
            var components = json.readTree(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            boolean settled = components.size() > 0;
            for (var c : components) {
                if (c.path("state").asText().equalsIgnoreCase("failed")) {
                    // a failed build never settles: say why now rather than wait out the deadline
                    throw new IllegalStateException("component " + c.path("name").asText() + " failed to build: " + c);
                }
                settled &= c.path("digest").isTextual() && c.path("state").asText().equals("idle");
            }
            if (settled) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the components never all settled");
    }
}
