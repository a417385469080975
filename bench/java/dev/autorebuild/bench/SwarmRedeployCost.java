package dev.autorebuild.bench;

import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.LocalRegistry;
import dev.autorebuild.support.LocalSwarm;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a redeploy costs as a Swarm service against a plain container, in one run: three packaged
 * daemons on a single-node swarm (made by the scenario and left after it) and a {@code docker-registry}
 * on 127.0.0.1, each on a workspace with one busybox httpd published in host mode. Each round is a
 * one-line edit, the engine's tag event, then {@code -s redeploy} timed from outside (it answers once the
 * container is ready, or once Swarm has decided), then a GET proving the new page is served.
 */
final class SwarmRedeployCost implements Bench.Scenario {
    @Override
    public String title() {
        return "-s redeploy as a Swarm service (registry, by digest) against a container";
    }

    private record Arm(String name, TestWorkspace ws, int port, List<Double> times) {}

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        List<Arm> arms = new ArrayList<>();
        try (LocalSwarm swarm = LocalSwarm.join(); LocalRegistry registry = LocalRegistry.start(context.workspace("swarm-registry"))) {
            arms.add(arm(context, "container", "", null));
            arms.add(arm(context, "swarm1s", "  target: swarm\n  registry: " + registry.address() + "\n", "1s"));
            arms.add(arm(context, "swarm5s", "  target: swarm\n  registry: " + registry.address() + "\n", "5s"));
            List<Daemon> daemons = new ArrayList<>();
            try (ImageTagEvents tags = new ImageTagEvents()) {
                for (Arm arm : arms) {
                    daemons.add(Daemon.start(arm.ws().root()));
                    tags.await(arm.name() + "-web:latest", 0);
                    redeploy(arm, "first", daemons.get(daemons.size() - 1).app); // the first deploy creates; not timed
                    arm.times().clear();
                }
                for (int i = 0; i < context.size(8, 1); i++) {
                    for (int k = 0; k < arms.size(); k++) {
                        int which = (i + k) % arms.size(); // each arm goes first in turn
                        Arm arm = arms.get(which);
                        String page = "round " + System.nanoTime();
                        long saved = ImageTagEvents.nowWallNanos();
                        arm.ws().write("web/index.html", page + "\n");
                        tags.await(arm.name() + "-web:latest", saved);
                        redeploy(arm, page, daemons.get(which).app);
                    }
                }
            } finally {
                for (Daemon d : daemons) {
                    d.close();
                }
                for (Arm arm : arms) {
                    LocalSwarm.removeServicesOf(arm.ws().root());
                    DockerEngine.removeContainersOf(arm.ws().root());
                }
            }
        }
        Stats container = Stats.of(arms.get(0).times());
        return List.of(Result.info("16 swarm", "-s redeploy, a container (the same image and port)", container.ms()),
                Result.info("16 swarm", "-s redeploy, a Swarm service by digest, update monitor 1s, same run", Stats.of(arms.get(1).times()).ms()),
                Result.info("16 swarm", "-s redeploy, a Swarm service by digest, update monitor 5s (Docker's default), same run",
                        Stats.of(arms.get(2).times()).ms()));
    }

    private static Arm arm(Bench.Context context, String name, String deployment, String monitor) throws Exception {
        int port = DockerEngine.freePort();
        TestWorkspace ws = new TestWorkspace(context.workspace(name)).httpComponent("web", "first");
        ws.write("dab.yml", "deployment:\n" + (deployment.isEmpty() ? "  auto: false\n" : deployment) + "components:\n  web:\n    run:\n"
                + "      ports: [\"" + port + ":80\"]\n" + (monitor == null ? "" : "      update: {monitor: " + monitor + "}\n"));
        return new Arm(name, ws, port, new ArrayList<>());
    }

    private static void redeploy(Arm arm, String page, PackagedApp app) throws Exception {
        long started = System.nanoTime();
        PackagedApp.Result result = app.run(arm.ws().root(), "-s", "redeploy");
        double ms = (System.nanoTime() - started) / 1e6;
        if (result.exitCode() != 0 || !DockerEngine.httpGet(arm.port(), "/index.html").equals(Optional.of(page))) {
            throw new IllegalStateException(arm.name() + ": the redeploy did not serve '" + page + "': " + result);
        }
        arm.times().add(ms);
    }
}
