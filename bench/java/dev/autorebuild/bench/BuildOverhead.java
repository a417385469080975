package dev.autorebuild.bench;

import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 7: the same one-file change built by auto-rebuild and by {@code docker build} of the CLI
 * (classic builder, as auto-rebuild uses), alternating A/B in one run. auto-rebuild's time is its
 * build (context streamed, image built, tagged); the CLI's is the command's wall time.
 */
final class BuildOverhead implements Bench.Scenario {
    private static final String DOCKERFILE = "FROM busybox:stable\nCOPY . /app/\nRUN ls -R /app > /listing\n";

    @Override
    public String title() {
        return "build overhead against the docker CLI";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace("overhead"));
        ws.write("web/Dockerfile", DOCKERFILE);
        Path cli = context.workspace("cli-context");
        Files.writeString(cli.resolve("Dockerfile"), DOCKERFILE);
        for (int i = 0; i < 200; i++) {
            String content = "static file " + i + "\n".repeat(50);
            ws.write("web/static/f" + i + ".txt", content);
            Files.createDirectories(cli.resolve("static"));
            Files.writeString(cli.resolve("static/f" + i + ".txt"), content);
        }
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> theirsLabelled = new ArrayList<>();
        try (InProcessEngine engine = InProcessEngine.withQuietPeriod(ws.root(), Duration.ofMillis(50)).awaitSettled("web")) {
            docker(cli, List.of()); // warm the CLI's cache too
            // the engine keeps its layer cache across runs: contents never seen before, or a later run measures cache hits
            String run = Long.toString(System.nanoTime());
            for (int i = 0; i < context.size(15, 2); i++) {
                int mark = engine.events.mark();
                // each arm its own content: no arm may reuse a layer another one just built
                ws.write("web/index.html", "round " + i + " auto-rebuild " + run + "\n");
                var built = (RebuildEvent.BuildSucceeded) engine.events.await(mark, RebuildEvent.BuildSucceeded.class, e -> true, InProcessEngine.BUILD).event();
                ours.add(built.took().toNanos() / 1e6);
                Files.writeString(cli.resolve("index.html"), "round " + i + " cli " + run + "\n");
                theirs.add(docker(cli, List.of()));
                Files.writeString(cli.resolve("index.html"), "round " + i + " labelled " + run + "\n");
                theirsLabelled.add(docker(cli, List.of("--label", Labels.WORKSPACE + "=" + ws.root(), "--label", Labels.COMPONENT + "=web",
                        "--label", Labels.DIGEST + "=sha256:" + i)));
            }
        } finally {
            new ProcessBuilder("docker", "rmi", "-f", "dab-bench-cli:latest").redirectErrorStream(true).start().waitFor();
        }
        Stats a = Stats.of(ours);
        Stats b = Stats.of(theirs);
        Stats c = Stats.of(theirsLabelled);
        double ratio = a.median() / b.median();
        return List.of(new Result("7 overhead", "one-file change: auto-rebuild vs docker build (classic)",
                String.format(Locale.ROOT, "%.0f ms vs %.0f ms median (ratio %.2f; p99 %.0f vs %.0f)", a.median(), b.median(), ratio, a.p99(), b.p99()),
                "ratio <= 1.05", ratio <= 1.05),
                Result.info("7 overhead", "the same, the CLI given auto-rebuild's three --label flags",
                        String.format(Locale.ROOT, "%.0f ms vs %.0f ms median (ratio %.2f)", a.median(), c.median(), a.median() / c.median())));
    }

    /** Milliseconds {@code docker build} of the CLI takes on {@code context}. */
    private static double docker(Path context, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "build", "-q", "-t", "dab-bench-cli:latest"));
        command.addAll(flags);
        command.add(context.toString());
        ProcessBuilder build = new ProcessBuilder(command).redirectErrorStream(true);
        build.environment().put("DOCKER_BUILDKIT", "0");
        long started = System.nanoTime();
        Process p = build.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("docker build failed: " + out);
        }
        return (System.nanoTime() - started) / 1e6;
    }
}
