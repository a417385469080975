package dev.autorebuild.bench;

import dev.autorebuild.core.Labels;
import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Random;

/**
 * The soak (issue 6): random edits across 5 components for a long while (30 minutes unless
 * {@code DAB_SOAK_MINUTES} says otherwise) with automatic redeploys on, through the packaged daemon.
 * Reported: builds and failures, heap, RSS and open descriptors at start and end, RSS after each sixth
 * of the run, the memory areas that grew (when the daemon runs with Native Memory Tracking), and whether
 * every final image was built from the final tree. Not part of the default run: {@code bench/run soak}.
 */
final class Soak implements Bench.Scenario {
    private static final int COMPONENTS = 5;
    /** RSS readings during the run, to tell a level that settles from one that keeps climbing. */
    private static final int SAMPLES = 6;
    private static final String SERVER = "FROM busybox:stable\nCOPY . /www/\n"
            + "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait\"]\n";

    @Override
    public String title() {
        return "soak: random edits across 5 components, redeploys on";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        Duration length = context.smoke() ? Duration.ofSeconds(20)
                : Duration.ofMinutes(Integer.parseInt(System.getenv().getOrDefault("DAB_SOAK_MINUTES", "30")));
        TestWorkspace ws = new TestWorkspace(context.workspace("soak"));
        StringBuilder dab = new StringBuilder("deployment:\n  auto: true\n  builds:\n    delay: 2s\ncomponents:\n");
        for (int c = 0; c < COMPONENTS; c++) {
            ws.write("c" + c + "/Dockerfile", SERVER).write("c" + c + "/index.html", "c" + c + "\n");
            dab.append("  c").append(c).append(":\n    run:\n      ports: [\"").append(DockerEngine.freePort()).append(":80\"]\n");
        }
        ws.write("dab.yml", dab.toString());
        Random random = new Random(42);
        long edits = 0;
        try (Daemon daemon = Daemon.start(ws.root()); Dashboard.Events events = daemon.dashboard().events().awaitOpen()) {
            StartupOnABigWorkspace.awaitAllIdle(daemon);
            String start = reading(daemon);
            Optional<Map<String, Long>> nativeAtStart = NativeMemory.committedKb(daemon.pid);
            List<String> rss = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.0f", Machine.rssMb(daemon.pid))));
            long began = System.nanoTime();
            long deadline = began + length.toNanos();
            long sampleEvery = length.toNanos() / SAMPLES;
            long nextSample = began + sampleEvery;
            while (System.nanoTime() < deadline) {
                edit(ws, random);
                edits++;
                Thread.sleep(200 + random.nextInt(1800)); // a developer's rhythm: bursts and pauses
                if (System.nanoTime() >= nextSample) {
                    rss.add(String.format(Locale.ROOT, "%.0f", Machine.rssMb(daemon.pid)));
                    nextSample += sampleEvery;
                }
            }
            StartupOnABigWorkspace.awaitAllIdle(daemon);
            Thread.sleep(4000); // the last automatic redeploy (delay 2 s) runs
            String end = reading(daemon);
            Optional<Map<String, Long>> nativeAtEnd = NativeMemory.committedKb(daemon.pid);
            int current = 0;
            int running = 0;
            for (int c = 0; c < COMPONENTS; c++) {
                String expected = ws.expectedDigest("c" + c);
                String image = DockerEngine.client().inspectImageCmd("soak-c" + c + ":latest").exec().getConfig().getLabels().get(Labels.DIGEST);
                String container = DockerEngine.client().inspectContainerCmd("soak-c" + c).exec().getConfig().getLabels().get(Labels.DIGEST);
                current += expected.equals(image) ? 1 : 0;
                running += expected.equals(container) ? 1 : 0;
            }
            long built = events.received().stream().filter(e -> e.path("type").asText().equals("BuildSucceeded")).count();
            long failed = events.received().stream().filter(e -> e.path("type").asText().equals("BuildFailed")).count();
            long redeployed = events.received().stream().filter(e -> e.path("type").asText().equals("Redeployed")).count();
            long redeployFailed = events.received().stream().filter(e -> e.path("type").asText().equals("RedeployFailed")).count();
            List<Result> results = new ArrayList<>(List.of(
                    Result.info("soak", length.toMinutes() + " min, " + edits + " edits", String.format(Locale.ROOT,
                            "%d builds (%d failed), %d redeploys (%d failed)", built, failed, redeployed, redeployFailed)),
                    Result.info("soak", "at start", start),
                    Result.info("soak", "at end", end),
                    Result.info("soak", "RSS (MB) at start and after each sixth of the run", String.join(" → ", rss))));
            if (nativeAtStart.isPresent() && nativeAtEnd.isPresent()) {
                results.add(Result.info("soak", "committed memory that grew most (Native Memory Tracking)",
                        NativeMemory.growth(nativeAtStart.get(), nativeAtEnd.get())));
            }
            results.add(
                    new Result("soak", "final images built from the final tree / containers running them",
                            current + "/" + COMPONENTS + " / " + running + "/" + COMPONENTS, "all", current == COMPONENTS && running == COMPONENTS && failed == 0));
            return results;
        }
    }

    /** A change of one of four kinds in a random component: an edit, a new file, a deleted file, a no-op rewrite. */
    private static void edit(TestWorkspace ws, Random random) throws Exception {
        String c = "c" + random.nextInt(COMPONENTS);
        Path folder = ws.root().resolve(c);
        switch (random.nextInt(4)) {
            case 0 -> ws.write(c + "/index.html", c + " edited " + random.nextInt() + "\n");
            case 1 -> ws.write(c + "/pages/p" + random.nextInt(50) + ".html", "page " + random.nextInt() + "\n");
            case 2 -> {
                try (var pages = Files.list(folder.resolve("pages"))) {
                    pages.findFirst().ifPresent(p -> p.toFile().delete());
                } catch (java.nio.file.NoSuchFileException e) {
                    // no pages yet
                }
            }
            default -> ws.write(c + "/index.html", ws.read(c + "/index.html"));
        }
    }

    private static String reading(Daemon daemon) throws Exception {
        long fds;
        try (var list = Files.list(Path.of("/proc", Long.toString(daemon.pid), "fd"))) {
            fds = list.count();
        }
        return String.format(Locale.ROOT, "heap %.0f MB, RSS %.0f MB, %d open descriptors", daemon.heapMb(), Machine.rssMb(daemon.pid), fds);
    }
}
