package dev.autorebuild.cli;

import dev.autorebuild.support.LocalSwarm;
import dev.autorebuild.support.PackagedApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployment.target: swarm} against an engine that is in no swarm: status and redeploy say so and
 * what to do, nothing is created, and the daemon keeps watching and building.
 */
class NoSwarmIT extends DaemonProcessTest {
    @Test
    void aSwarmTargetOnAnEngineInNoSwarm_isExplained_andNothingIsCreated() throws Exception {
        if (!LocalSwarm.state().equals("inactive")) { // this machine's own swarm: never left by a test
            String why = "the engine is in a swarm (" + LocalSwarm.state() + "); this test needs one that is not";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        ws.httpComponent("web", "v1").write("dab.yml", "deployment:\n  target: swarm\n");
        assertThat(app.run(dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);

        String status = app.run(ws.root(), "-s", "status").out();
        assertThat(status).contains("service:   demo_web, unknown: the engine cannot run Swarm services: it is not part of a swarm",
                "run docker swarm init there, or set deployment.target: containers");
        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isNotZero();
        assertThat(redeploy.out() + redeploy.err()).contains("the engine cannot run Swarm services", "nothing was replaced");
        assertThat(dev.autorebuild.support.DockerEngine.cli("ps", "-aq", "--filter", "name=demo")).as("no container was made instead").isBlank();

        ws.write("web/index.html", "v2\n");
        awaitLog("[web] built demo-web:latest", 2);
    }
}
