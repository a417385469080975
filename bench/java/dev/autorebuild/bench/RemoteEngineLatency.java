package dev.autorebuild.bench;

import dev.autorebuild.support.SecondEngine;
import dev.autorebuild.support.TestWorkspace;
import dev.autorebuild.support.TlsFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Save → tagged on an engine reached over TCP with mutual TLS (a second dockerd on this machine, so
 * the figure is the transport and TLS, not a network) against the same save on the local engine's
 * socket, in one run: two packaged daemons, one per engine, rounds alternating, each timed on the
 * tagging engine's own event clock ({@code docker events}).
 */
final class RemoteEngineLatency implements Bench.Scenario {
    @Override
    public String title() {
        return "save -> tagged on a remote engine over mutual TLS, against the local socket";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        Path tls = TlsFiles.make(context.workspace("remote-tls"), "bench-ca");
        List<Double> local = new ArrayList<>();
        List<Double> remote = new ArrayList<>();
        try (SecondEngine engine = SecondEngine.start(context.workspace("remote-engine"), tls)) {
            TestWorkspace here = new TestWorkspace(context.workspace("localshop")).httpComponent("web", "first");
            TestWorkspace there = new TestWorkspace(context.workspace("remoteshop")).httpComponent("web", "first");
            Map<String, String> env = Map.of("DOCKER_HOST", engine.address(), "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", tls.toString());
            try (ImageTagEvents localTags = new ImageTagEvents(); ImageTagEvents remoteTags = new ImageTagEvents(engine.socket());
                 Daemon a = Daemon.start(here.root()); Daemon b = Daemon.start(there.root(), env)) {
                localTags.await("localshop-web:latest", 0);
                remoteTags.await("remoteshop-web:latest", 0);
                for (int i = 0; i < context.size(20, 2); i++) {
                    String salt = i + " " + System.nanoTime();
                    if (i % 2 == 0) {
                        local.add(round(here, localTags, "localshop-web:latest", salt));
                        remote.add(round(there, remoteTags, "remoteshop-web:latest", salt));
                    } else {
                        remote.add(round(there, remoteTags, "remoteshop-web:latest", salt));
                        local.add(round(here, localTags, "localshop-web:latest", salt));
                    }
                }
            }
        }
        Stats l = Stats.of(local);
        Stats r = Stats.of(remote);
        return List.of(Result.info("16 remote", "save -> tagged, local engine's socket", l.ms()),
                Result.info("16 remote", "save -> tagged, an engine over TCP + mutual TLS (same machine), same run",
                        r.ms() + String.format(Locale.ROOT, "; %+.0f ms at the median", r.median() - l.median())));
    }

    private static double round(TestWorkspace ws, ImageTagEvents tags, String image, String salt) throws Exception {
        long saved = ImageTagEvents.nowWallNanos();
        ws.write("web/index.html", "round " + salt + "\n");
        return (tags.await(image, saved) - saved) / 1e6;
    }
}
