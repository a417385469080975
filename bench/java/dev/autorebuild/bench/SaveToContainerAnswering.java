package dev.autorebuild.bench;

import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 2: with {@code deployment.auto: true, delay: 0}, a save until the new container answers with
 * the saved content, on the example's httpd component: debounce, build, redeploy (the old container
 * frees the published port, the new one must answer its readiness probe), all through the packaged daemon.
 */
final class SaveToContainerAnswering implements Bench.Scenario {
    private static final int QUIET_MS = 200;

    @Override
    public String title() {
        return "save -> new container answering (auto redeploy, delay 0)";
    }

    /** busybox httpd as PID 1 ignores SIGTERM, so the old container's stop waits out its 1 s timeout; most servers do not. */
    private static final String HONOURS_SIGTERM = "FROM busybox:stable\nCOPY . /www/\n"
            + "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait\"]\n";

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        return List.of(measure(context, "busybox httpd, ignores SIGTERM", TestWorkspace.HTTPD),
                measure(context, "a server that stops on SIGTERM", HONOURS_SIGTERM));
    }

    private Result measure(Bench.Context context, String server, String dockerfile) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace("site" + dockerfile.length()));
        int port = DockerEngine.freePort();
        ws.httpComponent("frontend", "first").write("frontend/Dockerfile", dockerfile);
        ws.write("dab.yml", "deployment:\n  auto: true\n  builds:\n    delay: 0\ncomponents:\n  frontend:\n    run:\n      ports: [\"" + port
                + ":80\"]\n      readiness:\n        http: /index.html\n        port: 80\n");
        List<Double> latencies = new ArrayList<>();
        try (Daemon daemon = Daemon.start(ws.root())) {
            awaitAnswer(port, "first");
            for (int i = 0; i < context.size(20, 2); i++) {
                String page = "save " + i + " " + System.nanoTime();
                ws.write("frontend/index.html", page + "\n");
                long saved = System.nanoTime();
                awaitAnswer(port, page);
                latencies.add((System.nanoTime() - saved) / 1e6);
            }
        }
        Stats s = Stats.of(latencies);
        double target = QUIET_MS + 2500;
        return new Result("2 redeploy", "save -> new container answering, " + server, s.ms(),
                String.format(Locale.ROOT, "<= %.0f ms (quiet + 2.5 s)", target), s.median() <= target && s.p99() <= target);
    }

    private static void awaitAnswer(int port, String page) {
        long deadline = System.nanoTime() + InProcessEngine.BUILD.toNanos();
        while (!DockerEngine.httpGet(port, "/index.html").map(page::equals).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the container never answered '" + page + "'");
            }
            TimedEvents.pause();
        }
    }
}
