package dev.autorebuild.bench;

import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Scenario 4: 50,000 files written as fast as Java writes them, (a) spread over 10,000 folders and (b)
 * into one folder: how many builds, and does the image hold every file? Run with the default
 * max-wait (2 s, which caps how long a steady stream may hold a build back) and with one longer than
 * the storm.
 */
final class Storms implements Bench.Scenario {
    @Override
    public String title() {
        return "write storms -> one build per component, nothing missed";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        int files = context.size(50_000, 500);
        List<Result> results = new ArrayList<>();
        for (Duration maxWait : List.of(Duration.ofSeconds(2), Duration.ofSeconds(60))) {
            results.add(storm(context, "spread", files, context.size(10_000, 100), maxWait));
            results.add(storm(context, "flat", files, 1, maxWait));
        }
        return results;
    }

    private Result storm(Bench.Context context, String shape, int files, int folders, Duration maxWait) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace(shape + maxWait.toSeconds()));
        ws.component("web");
        var overrides = new FileConfigSource.Overrides(Optional.empty(), Optional.of(maxWait), Optional.empty(), Optional.empty());
        try (InProcessEngine engine = new InProcessEngine(ws.root(), overrides).awaitSettled("web")) {
            int mark = engine.events.mark();
            long started = System.nanoTime();
            for (int i = 0; i < files; i++) {
                Path file = ws.root().resolve("web/data/d" + (i % folders) + "/f" + i + ".txt");
                if (i < folders) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, "file " + i + "\n");
            }
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            String digest = ws.expectedDigest("web");
            engine.events.await(mark, RebuildEvent.BuildSucceeded.class, b -> b.digest().equals(digest), Duration.ofMinutes(10));
            double settledSeconds = (System.nanoTime() - started) / 1e9;
            long builds = engine.builds(mark, "web");
            long rescans = engine.events.since(mark, RebuildEvent.Rescan.class).size();
            int inImage = Integer.parseInt(DockerEngine.runIn(ws.root().getFileName() + "-web:latest", "find /app/data -type f | wc -l").strip());
            String measured = String.format(Locale.ROOT, "%d build(s), %d/%d files in the image, %d rescan(s) after overflow; written in %.1f s, image current after %.1f s",
                    builds, inImage, files, rescans, writeSeconds, settledSeconds);
            return new Result("4 storm", files + " files into " + folders + " folder(s), max-wait " + maxWait.toSeconds() + " s", measured,
                    "1 build, 0 missed", builds == 1 && inImage == files);
        }
    }
}
