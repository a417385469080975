package dev.autorebuild.bench;

import dev.autorebuild.support.SecondEngine;
import dev.autorebuild.support.SshServer;
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
 * tagging engine's own event clock ({@code docker events}). A third daemon reaches this machine's engine
 * through a real sshd on 127.0.0.1 ({@code ssh://}), so its figure is ssh and dial-stdio's cost.
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
        List<Double> overSsh = new ArrayList<>();
        try (SecondEngine engine = SecondEngine.start(context.workspace("remote-engine"), tls);
             SshServer sshd = SshServer.start(context.workspace("remote-sshd"))) {
            TestWorkspace here = new TestWorkspace(context.workspace("localshop")).httpComponent("web", "first");
            TestWorkspace there = new TestWorkspace(context.workspace("remoteshop")).httpComponent("web", "first");
            TestWorkspace tunneled = new TestWorkspace(context.workspace("sshshop")).httpComponent("web", "first");
            Map<String, String> env = Map.of("DOCKER_HOST", engine.address(), "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", tls.toString());
            try (ImageTagEvents localTags = new ImageTagEvents(); ImageTagEvents remoteTags = new ImageTagEvents(engine.socket());
                 Daemon a = Daemon.start(here.root()); Daemon b = Daemon.start(there.root(), env);
                 Daemon c = Daemon.start(tunneled.root(), sshd.environment())) {
                localTags.await("localshop-web:latest", 0);
                remoteTags.await("remoteshop-web:latest", 0);
                localTags.await("sshshop-web:latest", 0); // the ssh engine is this machine's, reached through sshd
                List<java.util.concurrent.Callable<Void>> arms = List.of(
                        () -> { local.add(round(here, localTags, "localshop-web:latest", salt())); return null; },
                        () -> { remote.add(round(there, remoteTags, "remoteshop-web:latest", salt())); return null; },
                        () -> { overSsh.add(round(tunneled, localTags, "sshshop-web:latest", salt())); return null; });
                for (int i = 0; i < context.size(20, 2); i++) {
                    for (int k = 0; k < arms.size(); k++) {
                        arms.get((i + k) % arms.size()).call(); // each arm goes first in turn
                    }
                }
            }
        }
        Stats l = Stats.of(local);
        Stats r = Stats.of(remote);
        Stats o = Stats.of(overSsh);
        return List.of(Result.info("16 remote", "save -> tagged, local engine's socket", l.ms()),
                Result.info("16 remote", "save -> tagged, an engine over TCP + mutual TLS (same machine), same run",
                        r.ms() + String.format(Locale.ROOT, "; %+.0f ms at the median", r.median() - l.median())),
                Result.info("16 remote", "save -> tagged, the local engine over ssh:// (sshd on 127.0.0.1, dial-stdio), same run",
                        o.ms() + String.format(Locale.ROOT, "; %+.0f ms at the median", o.median() - l.median())));
    }

    private static String salt() {
        return Long.toString(System.nanoTime());
    }

    private static double round(TestWorkspace ws, ImageTagEvents tags, String image, String salt) throws Exception {
        long saved = ImageTagEvents.nowWallNanos();
        ws.write("web/index.html", "round " + salt + "\n");
        return (tags.await(image, saved) - saved) / 1e6;
    }
}
